/**
 * An SMS auto-reply bot: the Event Grid webhook for Microsoft.Communication.SMSReceived and
 * Microsoft.Communication.SMSDeliveryReportReceived.
 * - answers the subscription validation handshake;
 * - STOP unsubscribes the sender, START subscribes again, anything else gets an auto-reply unless unsubscribed;
 * - an SMS without text is malformed: 400, which Event Grid does not retry (it dead-letters at once);
 * - with ACS_CONNECTION_STRING, replies are sent with the real SmsClient (delivery reports on), and the
 *   delivery reports that come back are matched to the replies by messageId (GET /reports);
 *   a failed report marks the customer unreachable (GET /unreachable), so the bot stops texting them.
 * Replies are also listed at GET /outbox.
 * Run it: ACS_CONNECTION_STRING='endpoint=http://127.0.0.1:4000/;accesskey=…' node --import tsx samples/sms-bot/receiver.ts
 *   (PORT, default 7071; `curl localhost:4000/admin/acs` prints the connection string)
 */
import { SmsClient } from '@azure/communication-sms'
import Fastify from 'fastify'

interface SmsEvent { eventType: string, data: { from: string, to: string, message: string } }
interface ReportEvent { eventType: string, data: { messageId: string, to: string, deliveryStatus: string, deliveryStatusDetails: string } }
interface ValidationEvent { data: { validationCode: string } }

export interface SmsBot {
  url: string
  outbox: Array<{ to: string, message: string, messageId?: string }>
  reports: Array<{ messageId: string, to: string, status: string, details: string, reply?: string }>
  unreachable: Set<string>
  close: () => Promise<void>
}

export async function start (port = 7071, options: { connectionString?: string } = {}): Promise<SmsBot> {
  const app = Fastify()
  const unsubscribed = new Set<string>()
  const unreachable = new Set<string>()
  const outbox: SmsBot['outbox'] = []
  const reports: SmsBot['reports'] = []
  const connectionString = options.connectionString ?? process.env.ACS_CONNECTION_STRING
  // The emulator serves plain http: the SDK needs allowInsecureConnection for that (never against Azure).
  const sms = connectionString !== undefined ? new SmsClient(connectionString, { allowInsecureConnection: connectionString.includes('endpoint=http://') }) : undefined
  const respond = async (from: string, to: string, message: string): Promise<void> => {
    if (unreachable.has(to)) return
    if (sms === undefined) { outbox.push({ to, message }); return }
    const [result] = await sms.send({ from, to: [to], message }, { enableDeliveryReport: true, tag: 'auto-reply' })
    if (result?.successful !== true) throw new Error(`SMS to ${to} refused: ${result?.errorMessage ?? 'no result'}`)
    outbox.push({ to, message, messageId: result.messageId })
  }

  app.post('/api/sms', async (request, reply) => {
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { validationResponse: (request.body as ValidationEvent[])[0]!.data.validationCode }
    }
    const events = request.body as Array<SmsEvent | ReportEvent>
    for (const e of events.filter((e): e is ReportEvent => e.eventType === 'Microsoft.Communication.SMSDeliveryReportReceived')) {
      const { messageId, to, deliveryStatus, deliveryStatusDetails } = e.data
      reports.push({ messageId, to, status: deliveryStatus, details: deliveryStatusDetails, reply: outbox.find((o) => o.messageId === messageId)?.message })
      if (deliveryStatus === 'Failed') unreachable.add(to)
    }
    const sms = events.filter((e): e is SmsEvent => e.eventType === 'Microsoft.Communication.SMSReceived')
    if (sms.some((e) => typeof e.data.message !== 'string' || e.data.message.trim() === '')) {
      return await reply.status(400).send({ error: 'an SMS without text' })
    }
    for (const { data } of sms) {
      if (/\bSTOP\b/i.test(data.message)) {
        unsubscribed.add(data.from)
        await respond(data.to, data.from, 'You are unsubscribed. Reply START to subscribe again.')
      } else if (/\bSTART\b/i.test(data.message)) {
        unsubscribed.delete(data.from)
        await respond(data.to, data.from, 'Welcome back!')
      } else if (!unsubscribed.has(data.from)) {
        await respond(data.to, data.from, 'Thanks for your message! Reply STOP to unsubscribe.')
      }
    }
    return await reply.status(200).send()
  })
  app.get('/outbox', async () => outbox)
  app.get('/reports', async () => reports)
  app.get('/unreachable', async () => [...unreachable])

  await app.listen({ host: '127.0.0.1', port })
  const { port: actual } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${actual}`, outbox, reports, unreachable, close: async () => { await app.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bot = await start(Number(process.env.PORT ?? 7071))
  console.log(`SMS bot listening on ${bot.url}/api/sms (replies at ${bot.url}/outbox, delivery reports at ${bot.url}/reports)`)
}
