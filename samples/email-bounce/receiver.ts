/**
 * An email bounce handler for Microsoft.Communication.EmailDeliveryReportReceived.
 * - answers the subscription validation handshake;
 * - adds the recipient of a Bounced, Failed or Suppressed email to a suppression list (GET /suppressions),
 *   so the application stops mailing that address;
 * - a report without a recipient is malformed: 400.
 * Run it: node --import tsx samples/email-bounce/receiver.ts   (PORT, default 7073)
 */
import Fastify from 'fastify'

interface ReportEvent { eventType: string, data: { recipient?: string, status: string, messageId: string } }
interface ValidationEvent { data: { validationCode: string } }

const UNDELIVERABLE = new Set(['Bounced', 'Failed', 'Suppressed'])

export interface BounceHandler { url: string, suppressions: Set<string>, close: () => Promise<void> }

export async function start (port = 7073): Promise<BounceHandler> {
  const app = Fastify()
  const suppressions = new Set<string>()

  app.post('/api/email-events', async (request, reply) => {
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { validationResponse: (request.body as ValidationEvent[])[0]!.data.validationCode }
    }
    const reports = (request.body as ReportEvent[]).filter((e) => e.eventType === 'Microsoft.Communication.EmailDeliveryReportReceived')
    if (reports.some((e) => typeof e.data.recipient !== 'string' || e.data.recipient === '')) {
      return await reply.status(400).send({ error: 'a delivery report without a recipient' })
    }
    for (const { data } of reports) if (UNDELIVERABLE.has(data.status)) suppressions.add(data.recipient!.toLowerCase())
    return await reply.status(200).send()
  })
  app.get('/suppressions', async () => [...suppressions])

  await app.listen({ host: '127.0.0.1', port })
  const { port: actual } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${actual}`, suppressions, close: async () => { await app.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const handler = await start(Number(process.env.PORT ?? 7073))
  console.log(`Email bounce handler on ${handler.url}/api/email-events (suppression list at ${handler.url}/suppressions)`)
}
