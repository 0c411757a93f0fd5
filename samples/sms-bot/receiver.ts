/**
 * An SMS auto-reply bot: the Event Grid webhook for Microsoft.Communication.SMSReceived.
 * - answers the subscription validation handshake;
 * - STOP unsubscribes the sender, START subscribes again, anything else gets an auto-reply unless unsubscribed;
 * - an SMS without text is malformed: 400, which Event Grid does not retry (it dead-letters at once).
 * Replies go to an outbox (GET /outbox) where a real bot would call the ACS SMS API.
 * Run it: node --import tsx samples/sms-bot/receiver.ts   (PORT, default 7071)
 */
import Fastify from 'fastify'

interface SmsEvent { eventType: string, data: { from: string, to: string, message: string } }
interface ValidationEvent { data: { validationCode: string } }

export interface SmsBot { url: string, outbox: Array<{ to: string, message: string }>, close: () => Promise<void> }

export async function start (port = 7071): Promise<SmsBot> {
  const app = Fastify()
  const unsubscribed = new Set<string>()
  const outbox: SmsBot['outbox'] = []

  app.post('/api/sms', async (request, reply) => {
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { validationResponse: (request.body as ValidationEvent[])[0]!.data.validationCode }
    }
    const sms = (request.body as SmsEvent[]).filter((e) => e.eventType === 'Microsoft.Communication.SMSReceived')
    if (sms.some((e) => typeof e.data.message !== 'string' || e.data.message.trim() === '')) {
      return await reply.status(400).send({ error: 'an SMS without text' })
    }
    for (const { data } of sms) {
      if (/\bSTOP\b/i.test(data.message)) {
        unsubscribed.add(data.from)
        outbox.push({ to: data.from, message: 'You are unsubscribed. Reply START to subscribe again.' })
      } else if (/\bSTART\b/i.test(data.message)) {
        unsubscribed.delete(data.from)
        outbox.push({ to: data.from, message: 'Welcome back!' })
      } else if (!unsubscribed.has(data.from)) {
        outbox.push({ to: data.from, message: 'Thanks for your message! Reply STOP to unsubscribe.' })
      }
    }
    return await reply.status(200).send()
  })
  app.get('/outbox', async () => outbox)

  await app.listen({ host: '127.0.0.1', port })
  const { port: actual } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${actual}`, outbox, close: async () => { await app.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bot = await start(Number(process.env.PORT ?? 7071))
  console.log(`SMS bot listening on ${bot.url}/api/sms (replies at ${bot.url}/outbox)`)
}
