/**
 * A chat moderation webhook for Microsoft.Communication.ChatMessageReceivedInThread.
 * - answers the subscription validation handshake;
 * - accepts notifications only with the shared secret in `x-moderation-key` (set on the subscription as a
 *   delivery attribute mapping), else 401, which Event Grid does not retry;
 * - flags messages containing a blocked word (GET /flagged), where a real service would delete or hide them.
 * Run it: node --import tsx samples/chat-moderation/receiver.ts   (PORT, default 7072; MODERATION_KEY)
 */
import Fastify from 'fastify'

interface ChatEvent { eventType: string, data: { messageId: string, threadId: string, messageBody: string, senderDisplayName?: string } }
interface ValidationEvent { data: { validationCode: string } }

const BLOCKED = /\b(spam|scam|free money)\b/i

export interface Moderator { url: string, flagged: Array<{ threadId: string, messageId: string, sender?: string }>, close: () => Promise<void> }

export async function start (port = 7072, key = process.env.MODERATION_KEY ?? 'local-secret'): Promise<Moderator> {
  const app = Fastify()
  const flagged: Moderator['flagged'] = []

  app.post('/api/moderation', async (request, reply) => {
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      return { validationResponse: (request.body as ValidationEvent[])[0]!.data.validationCode }
    }
    if (request.headers['x-moderation-key'] !== key) return await reply.status(401).send({ error: 'missing or wrong x-moderation-key' })
    for (const { eventType, data } of request.body as ChatEvent[]) {
      if (eventType !== 'Microsoft.Communication.ChatMessageReceivedInThread') continue
      if (BLOCKED.test(data.messageBody)) flagged.push({ threadId: data.threadId, messageId: data.messageId, sender: data.senderDisplayName })
    }
    return await reply.status(200).send()
  })
  app.get('/flagged', async () => flagged)

  await app.listen({ host: '127.0.0.1', port })
  const { port: actual } = app.server.address() as { port: number }
  return { url: `http://127.0.0.1:${actual}`, flagged, close: async () => { await app.close() } }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const moderator = await start(Number(process.env.PORT ?? 7072))
  console.log(`Chat moderation webhook on ${moderator.url}/api/moderation (flagged messages at ${moderator.url}/flagged)`)
}
