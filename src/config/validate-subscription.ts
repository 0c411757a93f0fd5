/**
 * Rules for a subscription body that a JSON Schema cannot express, shared by the config loader and the
 * runtime `PUT /admin/topics/{topic}/subscriptions/{name}`. Paths are relative to the subscription body.
 */
import { isHeaderName, isHeaderValue } from '../domain/delivery-rules/outbound.js'
import { isAllowedCombination } from '../domain/schema-combinations.js'
import { ownRouteProblem } from '../delivery/self-loop.js'
import type { InputSchema } from '../domain/events.js'
import { validateFilter } from '../domain/filter/index.js'
import type { Problem } from '../domain/problems.js'
import { ajvToProblems } from './ajv-problems.js'
import type { SubscriptionBody } from './types.js'
import { loadedValidators } from './load-validators.js'

export interface SubscriptionContext {
  inputSchema: InputSchema
  /** Event types a system topic can emit: filters naming others are rejected, as Azure does. */
  knownEventTypes?: ReadonlySet<string>
  now: Date
}

/**
 * Full validation of a body that came over HTTP (shape and semantics). Synchronous: the caller has awaited
 * `loadValidators()` (load-validators.ts).
 */
export function validateSubscriptionBody (body: unknown, ctx: SubscriptionContext): Problem[] {
  const { validateSubscriptionShape } = loadedValidators()
  if (!validateSubscriptionShape(body)) return ajvToProblems(validateSubscriptionShape.errors, body)
  return checkSubscriptionSemantics(body as SubscriptionBody, ctx)
}

/** Semantic rules, for a body whose shape already passed the schema. */
export function checkSubscriptionSemantics (body: SubscriptionBody, ctx: SubscriptionContext): Problem[] {
  const problems: Problem[] = []
  const dest = body.destination
  const url = dest.properties.endpointUrl
  if (dest.endpointType === 'AzureFunction') {
    problems.push(...checkFunctionDestination(dest.properties.resourceId, url))
  } else if (url === undefined) {
    problems.push({ path: ['destination', 'properties'], message: 'missing required key \'endpointUrl\' (the webhook URL events are POSTed to, e.g. http://127.0.0.1:7071/api/events, or /sink/NAME for the built-in sink)' })
  } else if (!isEndpointUrl(url)) {
    problems.push({ path: ['destination', 'properties', 'endpointUrl'], message: `'${url}' is not an http(s) URL or a path on this emulator (like /sink/demo)` })
  } else if (url.startsWith('/') && ownRouteProblem(url) !== undefined) {
    problems.push({ path: ['destination', 'properties', 'endpointUrl'], message: ownRouteProblem(url)! })
  }
  const deliverySchema = body.eventDeliverySchema ?? defaultDeliverySchema(ctx.inputSchema)
  if (!isAllowedCombination(ctx.inputSchema, deliverySchema)) {
    problems.push({
      path: ['eventDeliverySchema'],
      message: `'${deliverySchema}' cannot be delivered from a topic whose inputSchema is '${ctx.inputSchema}' (Azure rejects this combination). Allowed: ${allowedFor(ctx.inputSchema).join(', ')}.`
    })
  }
  if (body.filter !== undefined) {
    for (const p of validateFilter(body.filter, { knownEventTypes: ctx.knownEventTypes })) {
      problems.push({ path: ['filter', ...p.path], message: p.message })
    }
  }
  problems.push(...checkDeliveryAttributes(body))
  if (body.expirationTimeUtc !== undefined && new Date(body.expirationTimeUtc).getTime() <= ctx.now.getTime()) {
    problems.push({ path: ['expirationTimeUtc'], message: `Invalid expiration time. '${body.expirationTimeUtc}' is in the past; use a future UTC time or remove the key.` })
  }
  return problems
}

function checkFunctionDestination (resourceId: string | undefined, url: string | undefined): Problem[] {
  if (resourceId === undefined && url === undefined) {
    return [{ path: ['destination', 'properties'], message: 'an AzureFunction destination needs \'resourceId\' (/subscriptions/…/providers/Microsoft.Web/sites/APP/functions/NAME) or an \'endpointUrl\' of the local Functions host' }]
  }
  if (resourceId !== undefined && functionNameOf(resourceId) === undefined) {
    return [{ path: ['destination', 'properties', 'resourceId'], message: `'${resourceId}' is not a function resource id: expected /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Web/sites/APP/functions/NAME` }]
  }
  if (url !== undefined && !isEndpointUrl(url)) {
    return [{ path: ['destination', 'properties', 'endpointUrl'], message: `'${url}' is not an http(s) URL or a path on this emulator` }]
  }
  return []
}

/** The function name in `/…/providers/Microsoft.Web/sites/APP/functions/NAME` (ARM ids are case-insensitive). */
export function functionNameOf (resourceId: string): string | undefined {
  return /\/providers\/microsoft\.web\/sites\/[^/]+\/functions\/([^/]+)$/i.exec(resourceId)?.[1]
}

/**
 * Header names a mapping may not set: those the delivery itself sets (a mapping would silently replace them) and
 * those that frame the HTTP exchange (a mapping would corrupt it, or make every attempt fail).
 */
const RESERVED_HEADERS = new Set(['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', 'keep-alive',
  'upgrade', 'te', 'trailer', 'expect', 'proxy-connection', 'origin', 'webhook-request-origin', 'webhook-request-callback',
  'webhook-request-rate'])

function checkDeliveryAttributes (body: SubscriptionBody): Problem[] {
  const problems: Problem[] = []
  const mappings = body.destination.properties.deliveryAttributeMappings ?? []
  const names = new Set<string>()
  mappings.forEach((m, i) => {
    const at = ['destination', 'properties', 'deliveryAttributeMappings', i]
    if (!isHeaderName(m.name)) problems.push({ path: [...at, 'name'], message: `header name ${JSON.stringify(m.name)} is not an HTTP token: use letters, digits and ${"!#$%&'*+-.^_`|~"} only (no spaces, colons or control characters)` })
    else if (m.name.toLowerCase().startsWith('aeg-')) problems.push({ path: [...at, 'name'], message: `header '${m.name}' uses the reserved prefix 'aeg-'` })
    else if (RESERVED_HEADERS.has(m.name.toLowerCase())) problems.push({ path: [...at, 'name'], message: `header '${m.name}' is set by Event Grid itself or controls the HTTP exchange, so it cannot be mapped. Reserved: ${[...RESERVED_HEADERS].join(', ')} and aeg-*` })
    if (names.has(m.name.toLowerCase())) problems.push({ path: [...at, 'name'], message: `header '${m.name}' is mapped twice` })
    names.add(m.name.toLowerCase())
    if (m.type === 'Static') {
      if (m.properties.value === undefined) problems.push({ path: [...at, 'properties'], message: 'a Static mapping needs \'value\'' })
      else if (!isHeaderValue(m.properties.value)) problems.push({ path: [...at, 'properties', 'value'], message: `value ${JSON.stringify(m.properties.value)} contains characters a header value cannot hold (control characters such as CR, LF or NUL, or characters beyond Latin-1)` })
      else if (Buffer.byteLength(m.properties.value) > 4096) problems.push({ path: [...at, 'properties', 'value'], message: `value is ${Buffer.byteLength(m.properties.value)} bytes; a header value may be at most 4096 bytes` })
    } else if (m.properties.sourceField === undefined) {
      problems.push({ path: [...at, 'properties'], message: 'a Dynamic mapping needs \'sourceField\' (a JSON path into the event, e.g. data.key1)' })
    }
  })
  return problems
}

export function defaultDeliverySchema (input: InputSchema): 'EventGridSchema' | 'CloudEventSchemaV1_0' {
  return input === 'CloudEventSchemaV1_0' ? 'CloudEventSchemaV1_0' : 'EventGridSchema'
}

function allowedFor (input: InputSchema): string[] {
  return (['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomInputSchema'] as const).filter((d) => isAllowedCombination(input, d))
}

function isEndpointUrl (url: string): boolean {
  if (url.startsWith('/')) return true
  try {
    const u = new URL(url)
    return u.protocol === 'http:' || u.protocol === 'https:'
  } catch {
    return false
  }
}
