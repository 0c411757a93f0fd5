/**
 * Runs a built launcher's `serve` in a child process (port 0, a data dir unless `dataDir` is null, warnings only)
 * and waits for the URL it prints: how the bundle, lazy-load and packed-install tests start the CLI as a user's
 * shell would.
 */
import { spawn, type ChildProcess } from 'node:child_process'

export interface SpawnOptions {
  /** More arguments for `serve` (e.g. `--tls auto`). */
  args?: string[]
  /** Arguments for node itself, before the launcher (e.g. `--require` a probe). */
  nodeArgs?: string[]
}

export async function spawnServe (bin: string, cwd: string, dataDir: string | null = 'data', options: SpawnOptions = {}): Promise<{ child: ChildProcess, url: string }> {
  const args = [...(options.nodeArgs ?? []), bin, 'serve', '--port', '0', ...(dataDir === null ? [] : ['--data-dir', dataDir]), ...(options.args ?? [])]
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } })
  let stdout = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const m = /listening on (https?:\/\/\S+)/.exec(stdout)
      if (m !== null) resolve(m[1]!)
    })
    child.once('exit', (code) => { reject(new Error(`serve exited with ${String(code)} before listening: ${stdout}`)) })
  })
  return { child, url }
}
