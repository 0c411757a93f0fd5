/**
 * The ACS data plane at the root of the port (the ACS SDKs refuse an endpoint with a path):
 *   POST /sms                               @azure/communication-sms SmsClient.send
 *   POST /emails:send, GET /emails/operations/{id}   @azure/communication-email EmailClient.beginSend + poller
 *   POST /messages/notifications:send       @azure-rest/communication-messages
 * Every request is signed with ACS's HMAC-SHA256 scheme; the key that signed it selects the ACS topic
 * (`fixedTopic` on a topic's own port). Errors use ACS's body `{ error: { code, message, target? } }`.
 */
import { MAX_JSON_DEPTH, measureJsonDepth } from '../../domain/json-depth.js'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  checkEmailSend, checkNotificationSend, checkSmsSend, EMAIL_MAX_BYTES, smsMessageId, verifyHmac, type AcsError, type Checked
} from '../../domain/acs-messaging/index.js'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { EmulatorError, STATUS_NAMES } from '../../errors.js'

/** Thrown inside the plugin; its error handler renders ACS's body. */
export class AcsHttpError extends EmulatorError {
  constructor (readonly error: AcsError) {
    super(STATUS_NAMES[error.status] ?? 'BadRequest', error.status, error.code, error.message)
    this.name = 'AcsHttpError'
  }
}

const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/
/** Room for a 10 MB email (attachments included) once JSON-escaped. */
const EMAIL_BODY_LIMIT = Math.ceil(EMAIL_MAX_BYTES * 1.5)

export async function acsRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedTopic?: string }): Promise<void> {
  const { emulator, fixedTopic } = opts
  const raw = new WeakMap<FastifyRequest, string>()
  const topics = new WeakMap<FastifyRequest, TopicRuntime>()

  // The signature covers the exact body text, so keep it; parse JSON here to answer ACS's way.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    raw.set(request, text)
    if (text === '') { done(null, undefined); return }
    // The same nesting bound as every other JSON route: deeper bodies could overflow the stack later on.
    const { depth, firstExceededAt } = measureJsonDepth(text, MAX_JSON_DEPTH)
    if (firstExceededAt !== undefined) {
      done(new AcsHttpError({ status: 400, code: 'BadRequest', message: `The request body is nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} levels of nested objects and arrays are allowed.` }), undefined)
      return
    }
    try {
      done(null, JSON.parse(text))
    } catch (err) {
      done(new AcsHttpError({ status: 400, code: 'BadRequest', message: `The request body is not valid JSON: ${(err as Error).message}` }), undefined)
    }
  })
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AcsHttpError) { void sendError(reply, err.error); return }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      void sendError(reply, { status: 413, code: 'RequestEntityTooLarge', message: `The request body is larger than the ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes this API accepts.` })
      return
    }
    if (typeof err.statusCode === 'number' && err.statusCode < 500) { void sendError(reply, { status: err.statusCode, code: 'BadRequest', message: err.message }); return }
    request.log.error({ err }, 'ACS data-plane request failed')
    void sendError(reply, { status: 500, code: 'InternalServerError', message: 'Internal Server Error' })
  })

  app.addHook('preHandler', async (request) => {
    const version = (request.query as Record<string, unknown>)['api-version']
    if (version === undefined) throw new AcsHttpError({ status: 400, code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version) is required for all requests.' })
    if (typeof version !== 'string' || !API_VERSION.test(version)) {
      throw new AcsHttpError({ status: 400, code: 'InvalidApiVersionParameter', message: `The api-version '${String(version)}' is invalid: use a date like 2021-03-07 (optionally with -preview).` })
    }
    const verdict = verifyHmac({ method: request.method, url: request.url, headers: request.headers, rawBody: raw.get(request) ?? '' }, emulator.acs.keys(fixedTopic), emulator.now().getTime())
    if (!verdict.ok) throw new AcsHttpError({ status: 401, code: 'Denied', message: verdict.message })
    topics.set(request, emulator.topic(verdict.topic)!)
  })
  const topicOf = (request: FastifyRequest): TopicRuntime => topics.get(request)!

  app.post('/sms', async (request, reply) => {
    const topic = topicOf(request)
    const checked = orThrow(checkSmsSend(request.body, { senders: emulator.acs.senders(topic.name), newMessageId: () => smsMessageId(emulator.now(), emulator.acs.newGuid()) }))
    emulator.acs.send(topic, checked.sent)
    return await reply.status(202).send({ value: checked.results })
  })

  // `::` is a literal colon in Fastify paths.
  app.post('/emails::send', { bodyLimit: EMAIL_BODY_LIMIT }, async (request, reply) => {
    const topic = topicOf(request)
    const given = request.headers['operation-id']
    const id = typeof given === 'string' && given !== '' ? given : emulator.acs.newGuid()
    if (emulator.acs.emailOperation(topic.name, id) !== undefined) {
      throw new AcsHttpError({ status: 409, code: 'Conflict', message: `An email operation with Operation-Id '${id}' already exists; use a new id per email.` })
    }
    const sent = orThrow(checkEmailSend(request.body, { senders: emulator.acs.senders(topic.name), messageId: id, bodyBytes: Buffer.byteLength(raw.get(request) ?? '') }))
    emulator.acs.startEmailOperation(topic.name, id)
    emulator.acs.send(topic, sent)
    const version = (request.query as Record<string, string>)['api-version']!
    return await reply.status(202)
      .header('operation-location', `${request.protocol}://${request.headers.host ?? request.hostname}/emails/operations/${encodeURIComponent(id)}?api-version=${version}`)
      .header('operation-id', id)
      .send({ id, status: 'Running' })
  })

  app.get<{ Params: { id: string } }>('/emails/operations/:id', async (request) => {
    const topic = topicOf(request)
    const op = emulator.acs.emailOperation(topic.name, request.params.id)
    if (op === undefined) throw new AcsHttpError({ status: 404, code: 'NotFound', message: `No email operation '${request.params.id}' on this resource (ACS topic '${topic.name}'): the id is the one POST /emails:send returned.` })
    return op
  })

  app.post('/messages/notifications::send', async (request, reply) => {
    const topic = topicOf(request)
    const sent = orThrow(checkNotificationSend(request.body, { senders: emulator.acs.senders(topic.name), newMessageId: () => emulator.acs.newGuid() }))
    emulator.acs.send(topic, sent)
    const repeatability = request.headers['repeatability-request-id']
    if (typeof repeatability === 'string') void reply.header('repeatability-result', 'accepted')
    return await reply.status(202).send({ receipts: sent.map((s) => ({ messageId: s.messageId, to: s.to })) })
  })
}

function orThrow<T> (checked: Checked<T>): T {
  if (!checked.ok) throw new AcsHttpError(checked.error)
  return checked.value
}

async function sendError (reply: FastifyReply, error: AcsError): Promise<void> {
  const { status, ...body } = error
  await reply.status(status).header('x-ms-error-code', body.code).send({ error: body })
}
