/**
 * Observability API behind the dashboard and the CLI: the live stream (SSE), event detail and replay,
 * re-validation, per-subscription counters, the ACS catalog for the trigger form, and ARM's getFullUrl /
 * getDeliveryAttributes (the secrets a subscription GET hides, which `scenario run --url` needs to restore it).
 */
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { generateAcsEvent, listAcsEventTypes, listAcsSequences } from '../../domain/acs/index.js'
import { RETRY_AFTER_SCHEDULE_MS, RETRY_SCHEDULE_MS } from '../../domain/delivery-rules/retry-policy.js'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { badRequest, notFound } from '../../errors.js'
import type { SubscriptionRuntime } from '../../delivery/subscription.js'
import { parseStreamFilter, StreamHub } from '../../observe/stream-hub.js'

type SubParams = { Params: { topic: string, name: string } }

export async function observeRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  const hub = new StreamHub({ log: emulator.deliveryLog, onPublish: (l) => emulator.onPublish(l) })
  const topicOr404 = (name: string): TopicRuntime => {
    return emulator.requireTopic(name)
  }
  const subOr404 = (topic: TopicRuntime, name: string): SubscriptionRuntime => {
    const sub = topic.subscriptions.get(name)
    if (sub === undefined) throw notFound(`Subscription '${name}' does not exist on topic '${topic.name}'. It has: ${[...topic.subscriptions.keys()].join(', ') || 'none'}.`)
    return sub
  }

  // Open streams never end by themselves: closing the app ends them, so shutdown does not wait on a viewer.
  const open = new Set<ServerResponse>()
  app.addHook('preClose', async () => { for (const res of open) res.end() })

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/stream', async (request, reply) => {
    const parsed = parseStreamFilter(request.query)
    if ('problem' in parsed) throw badRequest(parsed.problem, 'InvalidQueryParameter')
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' })
    // The first comment flushes the headers, so a client knows it is attached before anything happens.
    res.write(`: eventgrid-emulator stream; one JSON object per publish and per delivery decision\nretry: 2000\n\n`)
    hub.attach(res, parsed.filter)
    // Idle proxies and browsers drop silent connections: a comment line every 15 s keeps it open.
    const keepAlive = setInterval(() => { res.write(': keep-alive\n\n') }, 15_000)
    keepAlive.unref()
    open.add(res)
    res.once('close', () => { clearInterval(keepAlive); open.delete(res) })
  })

  app.post<SubParams>('/admin/topics/:topic/subscriptions/:name/validate', async (request) => {
    const sub = subOr404(topicOr404(request.params.topic), request.params.name)
    await emulator.revalidate(sub)
    return emulator.describe(sub)
  })

  app.post<SubParams>('/admin/topics/:topic/subscriptions/:name/getFullUrl', async (request) => {
    const sub = subOr404(topicOr404(request.params.topic), request.params.name)
    return { endpointUrl: sub.body.destination.properties.endpointUrl ?? null }
  })

  app.post<SubParams>('/admin/topics/:topic/subscriptions/:name/getDeliveryAttributes', async (request) => {
    const sub = subOr404(topicOr404(request.params.topic), request.params.name)
    return { value: sub.body.destination.properties.deliveryAttributeMappings ?? [] }
  })

  app.get<{ Querystring: { topic?: string, limit?: string } }>('/admin/events', async (request) => {
    const limit = positiveInt(request.query.limit, 'limit') ?? 100
    if (request.query.topic !== undefined) topicOr404(request.query.topic)
    return {
      value: emulator.events.list({ topic: request.query.topic, limit }).map((e) => ({
        topic: e.topic, id: e.id, eventType: e.type, subject: e.event.eventGrid?.subject ?? e.event.cloudEvent?.subject, publishTime: e.publishTime, attempts: e.attempts.length
      }))
    }
  })

  app.get<{ Params: { topic: string, id: string } }>('/admin/events/:topic/:id', async (request) => {
    const topic = topicOr404(request.params.topic)
    const stored = emulator.events.get(topic.name, request.params.id)
    if (stored === undefined) throw notFound(`No recorded event '${request.params.id}' on topic '${topic.name}' (the emulator keeps the last 1000 published events; POST /admin/reset clears them).`)
    const decisions = emulator.deliveryLog.query({ topic: topic.name, eventId: stored.id })
    return {
      topic: topic.name,
      id: stored.id,
      eventType: stored.type,
      publishTime: stored.publishTime,
      inputSchema: stored.event.inputSchema,
      event: stored.event.cloudEvent ?? stored.event.custom ?? stored.event.eventGrid,
      attempts: stored.attempts,
      decisions,
      retriesAhead: retriesAhead(topic, decisions, emulator.config.delivery.timeScale),
      deadLetters: emulator.deadLetters.list({ topic: topic.name }).filter((d) => d.eventIds.includes(stored.id)).map(({ events: _events, ...entry }) => ({ ...entry, file: `${emulator.deadLetters.directory}/${entry.path}` }))
    }
  })

  app.post<{ Params: { topic: string, id: string }, Body: unknown }>('/admin/events/:topic/:id/replay', async (request, reply) => {
    const topic = topicOr404(request.params.topic)
    const body = request.body ?? {}
    if (typeof body !== 'object' || Array.isArray(body) || body === null) throw badRequest('The replay body must be a JSON object: { "subscription"?: string, "applyFilter"?: boolean }.', 'InvalidReplay')
    const { subscription, applyFilter, ...rest } = body as Record<string, unknown>
    const extra = Object.keys(rest)[0]
    if (extra !== undefined) throw badRequest(`Unknown replay property '${extra}'. Allowed: subscription, applyFilter.`, 'InvalidReplay')
    if (subscription !== undefined && typeof subscription !== 'string') throw badRequest(`subscription must be a string, got ${JSON.stringify(subscription)}.`, 'InvalidReplay')
    if (applyFilter !== undefined && typeof applyFilter !== 'boolean') throw badRequest(`applyFilter must be true or false, got ${JSON.stringify(applyFilter)}.`, 'InvalidReplay')
    if (applyFilter !== undefined && subscription === undefined) throw badRequest('applyFilter needs subscription: a re-publish to the topic always applies every filter.', 'InvalidReplay')
    const stored = emulator.events.get(topic.name, request.params.id)
    if (stored === undefined) throw notFound(`No recorded event '${request.params.id}' on topic '${topic.name}' to replay (the emulator keeps the last 1000 published events).`)
    const result = emulator.replay(stored, { subscription, applyFilter })
    if (!result.ok) throw notFound(result.message)
    const { ok: _ok, ...summary } = result
    return reply.status(202).send(summary)
  })

  app.get('/admin/stats', async () => ({
    subscriptions: [...emulator.topics.values()].flatMap((t) => [...t.subscriptions.values()].map((s) => ({
      topic: t.name,
      name: s.name,
      provisioningState: s.state,
      ...(s.stateReason !== undefined ? { provisioningStateReason: s.stateReason } : {}),
      pendingEvents: s.ready.length,
      inFlightRequests: s.inFlight,
      ...emulator.counters.of(t.name, s.name)
    }))),
    stream: { viewers: hub.viewerCount, sent: hub.sentTotal, dropped: hub.droppedTotal },
    sinks: emulator.sink.names()
  }))

  app.get('/admin/catalog', async () => ({ eventTypes: listAcsEventTypes(), sequences: listAcsSequences() }))

  app.get<{ Params: { type: string } }>('/admin/catalog/:type/sample', async (request) => {
    const known = listAcsEventTypes().some((t) => t.eventType === request.params.type || t.aliases.includes(request.params.type))
    if (!known) throw notFound(`'${request.params.type}' is not an ACS event type or alias; GET /admin/catalog lists them.`)
    return generateAcsEvent(request.params.type, {}, { topic: '/sample', now: () => emulator.now(), newGuid: randomUUID })
  })
}

/** The attempts still to come for an event's pending retries: the next time, then Event Grid's later gaps (scaled, before jitter). */
function retriesAhead (topic: TopicRuntime, decisions: ReturnType<Emulator['deliveryLog']['query']>, timeScale: number): Array<{ subscription: string, nextAttemptTime: string, attemptsLeft: number, laterGapsMs: number[] }> {
  const latest = new Map<string, (typeof decisions)[number]>()
  for (const d of decisions) latest.set(d.subscription, d)
  const out = []
  for (const d of latest.values()) {
    if (d.outcome !== 'Failed' || d.nextAttemptTime === undefined || d.attempt === undefined) continue
    const sub = topic.subscriptions.get(d.subscription)
    if (sub === undefined) continue
    const left = Math.max(0, sub.maxDeliveryAttempts - d.attempt)
    const gaps = Array.from({ length: Math.min(left - 1, 10) }, (_, i) => (RETRY_SCHEDULE_MS[d.attempt! + i] ?? RETRY_AFTER_SCHEDULE_MS) * timeScale)
    out.push({ subscription: d.subscription, nextAttemptTime: d.nextAttemptTime, attemptsLeft: left, laterGapsMs: gaps })
  }
  return out
}

function positiveInt (value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw badRequest(`${name} must be a positive integer, got '${value}'.`, 'InvalidQueryParameter')
  return n
}
