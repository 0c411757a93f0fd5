/**
 * Runs a built launcher's `serve` in a child process (port 0, a data dir unless `dataDir` is null, warnings only)
 * and waits for the URL it prints: how the bundle, lazy-load and packed-install tests start the CLI as a user's
 * shell would.
 */
import { spawn, type ChildProcess } from 'node:child_process'

export async function spawnServe (bin: string, cwd: string, dataDir: string | null = 'data'): Promise<{ child: ChildProcess, url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...(dataDir === null ? [] : ['--data-dir', dataDir])], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } })
  let stdout = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m !== null) resolve(m[1]!)
    })
    child.once('exit', (code) => { reject(new Error(`serve exited with ${String(code)} before listening: ${stdout}`)) })
  })
  return { child, url }
}
