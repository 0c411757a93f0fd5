/**
 * A real webhook receiver on port 0 for tests: records every request, answers the validation handshake the way
 * a well-behaved endpoint does (unless told otherwise), and can answer notifications from a scripted list.
 */
import Fastify from 'fastify'
import type { Test } from 'tap'

export interface Received { method: string, url: string, headers: Record<string, string>, body: unknown, at: number }

export interface ReceiverOptions {
  /** Status codes for notifications, in order; then `defaultStatus`. */
  statuses?: number[]
  defaultStatus?: number
  /** How to answer the Event Grid validation POST: echo the code (default), plain 200, or a status. */
  handshake?: 'echo' | 'plain-200' | number
  /** Allow the CloudEvents OPTIONS handshake (default true). */
  allowOptions?: boolean
  /** Delay before answering notifications, in ms. */
  delayMs?: number
}

export interface Receiver {
  url: string
  received: Received[]
  notifications: () => Received[]
  /** Resolves once `n` notifications have arrived. */
  waitFor: (n: number, timeoutMs?: number) => Promise<Received[]>
}

export async function startReceiver (t: Test, options: ReceiverOptions = {}): Promise<Receiver> {
  const app = Fastify()
  const received: Received[] = []
  const waiters: Array<() => void> = []
  const statuses = [...(options.statuses ?? [])]
  app.addContentTypeParser(['application/cloudevents+json', 'application/cloudevents-batch+json'], { parseAs: 'string' }, app.getDefaultJsonParser('ignore', 'ignore'))
  const record = (req: { method: string, url: string, headers: Record<string, unknown>, body: unknown }): void => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]))
    received.push({ method: req.method, url: req.url, headers, body: req.body, at: performance.now() })
    for (const w of waiters.splice(0)) w()
  }
  app.route({
    method: ['POST', 'OPTIONS'],
    url: '/*',
    handler: async (req, reply) => {
      record(req)
      if (req.method === 'OPTIONS') {
        if (options.allowOptions === false) return reply.status(405).send()
        return reply.header('webhook-allowed-origin', String(req.headers['webhook-request-origin'] ?? '*')).status(200).send()
      }
      if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        const mode = options.handshake ?? 'echo'
        if (mode === 'plain-200') return reply.status(200).send()
        if (typeof mode === 'number') return reply.status(mode).send()
        const code = (req.body as Array<{ data: { validationCode: string } }>)[0]!.data.validationCode
        return { validationResponse: code }
      }
      if (options.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.delayMs))
      return reply.status(statuses.shift() ?? options.defaultStatus ?? 200).send()
    }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(async () => { await app.close() })
  const address = app.server.address() as { port: number }
  const notifications = (): Received[] => received.filter((r) => r.method === 'POST' && r.headers['aeg-event-type'] === 'Notification')
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    notifications,
    waitFor: async (n, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs
      while (notifications().length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} notifications, got ${notifications().length}`)
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50) })
      }
      return notifications()
    }
  }
}
