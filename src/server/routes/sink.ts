/**
 * `/sink/{name}` — the built-in recording webhook. It answers both validation handshakes itself, records every
 * notification, and can be scripted to fail (SinkStore.script, `PUT /sink/{name}/responses`) to exercise retries.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Emulator } from '../../emulator.js'
import { badRequest, payloadTooLarge } from '../../errors.js'
import { acceptEventBodies, boundJsonDepth, rawTextOf, SINK_MAX_JSON_DEPTH } from '../content-types.js'

export async function sinkRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  const { sink } = emulator
  boundJsonDepth(app, SINK_MAX_JSON_DEPTH)
  acceptEventBodies(app, SINK_MAX_JSON_DEPTH)

  // A delivery can be a little over 1 MiB (a maximum-size event grows when stamped; batches overshoot their soft
  // target): limits.sink.maxRequestBytes allows for that, and no more, so no client can fill memory through a sink.
  const maxBytes = sink.limits.maxRequestBytes
  const tooLarge = (request: FastifyRequest): void => {
    const length = Number(request.headers['content-length'])
    if (length > maxBytes) {
      throw payloadTooLarge(`The request body is ${length} bytes; a sink accepts at most ${maxBytes} bytes per request (limits.sink.maxRequestBytes).`)
    }
  }
  app.post<{ Params: { name: string } }>('/sink/:name', { bodyLimit: maxBytes, onRequest: async (request) => { tooLarge(request) } }, async (request, reply) => {
    const body = rawTextOf(request.body) ?? request.body
    const headers = headersOf(request.headers)
    const bytes = Number(request.headers['content-length'])
    const size = Number.isFinite(bytes) ? bytes : undefined
    const now = emulator.now().toISOString()
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      const code = validationCode(body)
      sink.record(request.params.name, { receivedAt: now, method: 'POST', headers, body, status: 200 }, size)
      return { validationResponse: code }
    }
    const status = sink.nextStatus(request.params.name)
    sink.record(request.params.name, { receivedAt: now, method: 'POST', headers, body, status }, size)
    return reply.status(status).send()
  })

  // CloudEvents abuse protection: grant the requesting origin.
  app.options<{ Params: { name: string } }>('/sink/:name', async (request, reply) => {
    const origin = request.headers['webhook-request-origin']
    sink.record(request.params.name, { receivedAt: emulator.now().toISOString(), method: 'OPTIONS', headers: headersOf(request.headers), body: undefined, status: 200 })
    void reply.header('webhook-allowed-origin', typeof origin === 'string' ? origin : '*').header('webhook-allowed-rate', '*').header('allow', 'POST, OPTIONS')
    return reply.status(200).send()
  })

  app.get<{ Params: { name: string } }>('/sink/:name', async (request) => {
    const requests = sink.get(request.params.name)
    const events = requests
      .filter((r) => r.method === 'POST' && r.headers['aeg-event-type'] !== 'SubscriptionValidation')
      .flatMap((r) => Array.isArray(r.body) ? r.body : [r.body])
    // `forgotten`: requests no longer kept because a limits.sink bound was reached (oldest first).
    return { name: request.params.name, count: events.length, events, requests, forgotten: sink.forgotten(request.params.name) }
  })

  // Scripting over HTTP, so scenarios run against an emulator in another process can script failures too.
  app.put<{ Params: { name: string } }>('/sink/:name/responses', async (request, reply) => {
    sink.script(request.params.name, scriptedStatuses(rawTextOf(request.body) ?? request.body))
    return reply.status(204).send()
  })

  app.delete<{ Params: { name: string } }>('/sink/:name', async (request, reply) => {
    sink.clear(request.params.name)
    return reply.status(204).send()
  })
}

function validationCode (body: unknown): unknown {
  const first = Array.isArray(body) ? body[0] : body
  const data = (first as { data?: { validationCode?: unknown } } | undefined)?.data
  return data?.validationCode
}

/** `{ "statuses": [500, 500, 200] }` → the statuses; anything else is a 400 naming the offending value. */
function scriptedStatuses (body: unknown): number[] {
  const statuses = (body as { statuses?: unknown } | null | undefined)?.statuses
  if (!Array.isArray(statuses)) {
    throw badRequest(`The body must be a JSON object like { "statuses": [500, 500, 200] }; got ${JSON.stringify(body) ?? 'nothing'}.`, 'InvalidSinkResponses')
  }
  statuses.forEach((s: unknown, i) => {
    if (!Number.isInteger(s) || (s as number) < 100 || (s as number) > 599) {
      throw badRequest(`statuses[${i}] must be an integer HTTP status from 100 to 599, got ${JSON.stringify(s)}.`, 'InvalidSinkResponses')
    }
  })
  return statuses as number[]
}

function headersOf (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]))
}
