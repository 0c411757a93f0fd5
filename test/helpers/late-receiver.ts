/**
 * A webhook started after the emulator, on a port picked before it (under withFreePort, test/helpers/free-port.ts):
 * it answers the validation handshake and records the ids of the events it gets. When the port was taken in the
 * meantime, `cleanup` closes what this attempt started and the EADDRINUSE error is rethrown, so withFreePort starts
 * over on another port.
 */
import Fastify from 'fastify'
import type { Test } from 'tap'

export async function listenLateReceiver (t: Test, port: number, path: string, got: string[], cleanup: () => Promise<void>): Promise<void> {
  const app = Fastify()
  app.post(path, async (req) => {
    const [e] = req.body as Array<{ id: string, data: { validationCode?: string } }>
    if (req.headers['aeg-event-type'] === 'SubscriptionValidation') return { validationResponse: e!.data.validationCode }
    got.push(e!.id)
    return ''
  })
  try {
    await app.listen({ host: '127.0.0.1', port })
  } catch (err) {
    await app.close()
    await cleanup()
    throw err
  }
  t.teardown(async () => { await app.close() })
}
