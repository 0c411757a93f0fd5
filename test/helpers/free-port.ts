/**
 * Ports for listeners that cannot bind port 0 themselves (a topic's, domain's or namespace's own `port:`, or a
 * receiver started later on purpose). A probe's port is only free at the moment it is closed: another test process
 * may take it before our listener binds it, so whatever binds it runs under `withFreePort`, which starts over with a
 * fresh port on EADDRINUSE.
 */
import { createServer } from 'node:net'

/** A port nobody listened on a moment ago (127.0.0.1). */
export async function freePort (): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve, reject) => { probe.once('error', reject); probe.listen(0, '127.0.0.1', resolve) })
  const { port } = probe.address() as { port: number }
  await new Promise<void>((resolve) => probe.close(() => { resolve() }))
  return port
}

export function isAddressInUse (err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EADDRINUSE'
}

/**
 * Runs `start` with a free port; when it fails with EADDRINUSE (the port was taken in between), runs it again with
 * another port, up to `attempts` times. `start` must clean up after itself when it throws (startEmulator does).
 */
export async function withFreePort<T> (start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      return await start(port)
    } catch (err) {
      if (!isAddressInUse(err) || attempt >= attempts) throw err
    }
  }
}
