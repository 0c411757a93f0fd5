/**
 * Hot reload of the config file: on demand (`POST /admin/reload`) or when the file changes (`serve --watch`).
 * A reload reads and validates the whole file first; a broken file is reported (`file:line:col`) and the config
 * in effect keeps running. Reloads never overlap: one that is asked for while another runs follows it.
 */
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { ConfigError } from '../config/config-error.js'
import type { EmulatorConfig } from '../config/types.js'
import { describeDiff, type ConfigDiff } from './config-diff.js'

export type ReloadResult =
  | { ok: true, file: string, summary: string, diff: ConfigDiff }
  | { ok: false, file: string, error: string, problems?: ConfigError['problems'] }

export interface ReloaderOptions {
  file: string
  /** Reads and validates the file, with the same overrides as at start (flags, environment). */
  load: () => Promise<EmulatorConfig>
  apply: (config: EmulatorConfig) => ConfigDiff | Promise<ConfigDiff>
  logger?: { info: (o: object, m: string) => void, error: (o: object, m: string) => void }
  /** How long a burst of file events is coalesced (editors write a file in several steps). */
  debounceMs?: number
}

export class ConfigReloader {
  private queue: Promise<unknown> = Promise.resolve()
  private watcher: FSWatcher | undefined
  private timer: NodeJS.Timeout | undefined
  private readonly listeners = new Set<(r: ReloadResult) => void>()

  constructor (private readonly opts: ReloaderOptions) {}

  get file (): string { return this.opts.file }

  /** Reloads now (after any reload in progress) and reports what happened. */
  async reload (trigger: 'watch' | 'request' = 'request'): Promise<ReloadResult> {
    const run = this.queue.then(async () => await this.run(trigger))
    this.queue = run.catch(() => undefined)
    return await run
  }

  /** Called after every reload, successful or not (tests wait on it instead of sleeping). */
  onReload (listener: (r: ReloadResult) => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /**
   * Watches the file's directory rather than the file: editors often save by writing a new file and renaming it
   * over the old one, which ends a watch on the file itself.
   */
  watch (): void {
    if (this.watcher !== undefined) return
    const file = resolve(this.opts.file)
    const name = basename(file)
    this.watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed !== name) return
      clearTimeout(this.timer)
      this.timer = setTimeout(() => { void this.reload('watch') }, this.opts.debounceMs ?? 100)
    })
    this.watcher.on('error', (err) => { this.opts.logger?.error({ file: this.opts.file, err: err.message }, 'config watch failed; reload with POST /admin/reload') })
  }

  close (): void {
    clearTimeout(this.timer)
    this.watcher?.close()
    this.watcher = undefined
  }

  private async run (trigger: string): Promise<ReloadResult> {
    const { file, logger } = this.opts
    let result: ReloadResult
    try {
      const config = await this.opts.load()
      const diff = await this.opts.apply(config)
      result = { ok: true, file, summary: describeDiff(diff), diff }
      logger?.info({ file, trigger }, `config reloaded from ${file}: ${result.summary}`)
    } catch (err) {
      const problems = err instanceof ConfigError ? err.problems : undefined
      result = { ok: false, file, error: (err as Error).message, ...(problems !== undefined ? { problems } : {}) }
      logger?.error({ file, trigger }, `config reload failed, the previous config keeps running:\n${result.error}`)
    }
    for (const l of this.listeners) {
      try { l(result) } catch { /* a listener's failure must not break reloading */ }
    }
    return result
  }
}
