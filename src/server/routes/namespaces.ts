/**
 * The namespace data plane, exactly the REST API @azure/eventgrid-namespaces calls (reference §8), under
 * `/namespaces/{ns}` (or at the root of a namespace's own `port:`):
 *   POST /topics/{topic}:publish
 *   POST /topics/{topic}/eventsubscriptions/{sub}:receive | :acknowledge | :release | :reject | :renewLock
 * One wildcard route parses the `{name}:{action}` segments, since a literal colon after a path parameter is
 * not something a router can express.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Emulator } from '../../emulator.js'
import { badRequest, notFound } from '../../errors.js'
import type { Settlement } from '../../namespaces/broker.js'
import type { NsNamespace } from '../../namespaces/model.js'
import { acceptNamespaceEvents } from '../../namespaces/publish.js'
import { acceptEventBodies, rawTextOf } from '../content-types.js'
import { authenticateNamespace } from '../namespace-auth.js'

/** The GA version the SDK sends by default, the earlier GA one, and the previews that had the same operations. */
export const NAMESPACE_API_VERSIONS = ['2024-06-01', '2023-11-01', '2023-10-01-preview', '2023-06-01-preview']
const RELEASE_DELAYS = [0, 10, 60, 600, 3600]
const MAX_LOCK_TOKENS = 100 // lockTokens per settlement request (Azure: 1-100)

type NsRequest = FastifyRequest<{ Params: { ns?: string, '*': string }, Querystring: Record<string, string | undefined> }>

export async function namespaceRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedNamespace?: string }): Promise<void> {
  const { emulator } = opts
  const broker = emulator.namespaces
  acceptEventBodies(app)
  const nsOf = (request: NsRequest): NsNamespace => {
    const name = opts.fixedNamespace ?? request.params.ns ?? ''
    const ns = broker.namespaces.get(name)
    if (ns === undefined) throw notFound(`Namespace '${name}' is not configured. Configured namespaces: ${[...broker.namespaces.keys()].join(', ') || '(none)'}. Add it under namespaces: in the config file.`)
    return ns
  }
  const handler = async (request: NsRequest, reply: FastifyReply): Promise<unknown> => {
    const ns = nsOf(request)
    checkApiVersion(request.query['api-version'])
    authenticateNamespace(ns, request, emulator.now())
    const path = request.params['*']
    const publish = /^([^/:]+):publish$/.exec(path)
    if (publish !== null) {
      const topic = topicOf(ns, publish[1]!)
      const events = acceptNamespaceEvents(request.body, rawTextOf(request.body), request.headers, emulator.limits)
      emulator.publishNamespace(topic, events)
      return {}
    }
    const op = /^([^/:]+)\/eventsubscriptions\/([^/:]+):(receive|acknowledge|release|reject|renewLock)$/.exec(path)
    if (op === null) {
      throw notFound(`No namespace operation at '${path}'. Use topics/{topic}:publish or topics/{topic}/eventsubscriptions/{subscription}:receive|acknowledge|release|reject|renewLock.`)
    }
    const topic = topicOf(ns, op[1]!)
    const sub = topic.subscriptions.get(op[2]!)
    if (sub === undefined) throw notFound(`Event subscription '${op[2]!}' does not exist on namespace topic '${ns.name}/${topic.name}'. Subscriptions: ${[...topic.subscriptions.keys()].join(', ') || '(none)'}.`)
    if (sub.queue === undefined) throw badRequest(`Event subscription '${sub.name}' uses deliveryMode Push; ${op[3]!} works only on Queue (pull) subscriptions.`, 'InvalidOperation')
    if (op[3] === 'receive') {
      const maxEvents = intParam(request.query.maxEvents, 'maxEvents', 1, 100, 1)
      const maxWait = intParam(request.query.maxWaitTime, 'maxWaitTime', 10, 120, 60)
      const abort = new AbortController()
      reply.raw.once('close', () => { abort.abort() })
      const received = await broker.receive(sub, maxEvents, maxWait * 1000, abort.signal)
      return { value: received.map((r) => ({ brokerProperties: { lockToken: r.lockToken, deliveryCount: r.deliveryCount }, event: r.event })) }
    }
    const tokens = lockTokensOf(request.body)
    let delay = 0
    if (op[3] === 'release') {
      const raw = request.query.releaseDelayInSeconds
      delay = raw === undefined ? 0 : Number(raw)
      if (!RELEASE_DELAYS.includes(delay) || raw === '') {
        throw badRequest(`releaseDelayInSeconds must be one of ${RELEASE_DELAYS.join(', ')}, got '${raw ?? ''}'.`, 'InvalidReleaseDelay')
      }
    }
    return broker.settle(sub, op[3] as Settlement, tokens, delay)
  }
  const route = { bodyLimit: emulator.limits.maxRequestBytes }
  if (opts.fixedNamespace !== undefined) app.post('/topics/*', route, handler)
  else app.post('/namespaces/:ns/topics/*', route, handler)

  function topicOf (ns: NsNamespace, name: string): NonNullable<ReturnType<typeof broker.topic>> {
    const topic = ns.topics.get(name)
    if (topic === undefined) throw notFound(`Namespace topic '${name}' does not exist in namespace '${ns.name}'. Topics: ${[...ns.topics.keys()].join(', ') || '(none)'}.`)
    return topic
  }
}

function checkApiVersion (version: string | undefined): void {
  if (version !== undefined && !NAMESPACE_API_VERSIONS.includes(version)) {
    throw badRequest(`The api-version '${version}' is not supported for namespace operations. Supported: ${NAMESPACE_API_VERSIONS.join(', ')}.`, 'InvalidApiVersion')
  }
}

function intParam (raw: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw === '' || !Number.isInteger(n) || n < min || n > max) throw badRequest(`${name} must be an integer from ${min} to ${max}, got '${raw}'.`, 'InvalidQueryParameter')
  return n
}

function lockTokensOf (body: unknown): string[] {
  const tokens = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { lockTokens?: unknown }).lockTokens : undefined
  if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || t === '')) {
    throw badRequest(`The body must be {"lockTokens": [...]} with 1 to ${MAX_LOCK_TOKENS} non-empty strings, got ${JSON.stringify(body)?.slice(0, 80) ?? 'no body'}.`, 'InputJsonInvalid')
  }
  if (tokens.length < 1 || tokens.length > MAX_LOCK_TOKENS) throw badRequest(`lockTokens must hold 1 to ${MAX_LOCK_TOKENS} tokens, got ${tokens.length}.`, 'InputJsonInvalid')
  return tokens as string[]
}
