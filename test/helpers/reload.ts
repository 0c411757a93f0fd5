/** Helpers for reload tests: a real config file in a temp dir, an emulator started from it, the next reload. */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { Test } from 'tap'
import { startEmulator, type ReloadResult, type RunningEmulator, type StartOptions } from '../../src/index.js'

export async function configFile (t: Test, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'eg-reload-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = join(dir, 'config.yaml')
  await writeFile(file, text)
  return file
}

/**
 * Replaces the file's content in one step, as an editor's atomic save does: a temp file in the same directory renamed
 * over it. writeFile truncates then writes, and a watcher that reads in between sees an empty file — a valid config.
 */
export async function replaceFile (file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${++replaced}.tmp`)
  await writeFile(temp, text)
  await rename(temp, file)
}
let replaced = 0

export async function startFromFile (t: Test, file: string, options: Omit<StartOptions, 'config'> = {}): Promise<RunningEmulator> {
  const eg = await startEmulator({ port: 0, config: file, env: {}, ...options })
  t.teardown(async () => { await eg.close() })
  return eg
}

/** The first reload (after now) whose result satisfies `accept`: an editor's save may raise more than one file event. */
export async function reloaded (eg: RunningEmulator, accept: (r: ReloadResult) => boolean): Promise<ReloadResult> {
  return await new Promise((resolve) => {
    const off = eg.onReload((r) => { if (accept(r)) { off(); resolve(r) } })
  })
}
