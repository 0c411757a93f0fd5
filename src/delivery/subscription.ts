/**
 * A live event subscription: its validated body, compiled filter, provisioning state and queue.
 */
import type { SubscriptionBody } from '../config/types.js'
import { defaultDeliverySchema, functionNameOf } from '../config/validate-subscription.js'
import { DEFAULT_BATCH, type BatchSettings } from '../domain/delivery-rules/batching.js'
import { DEFAULT_MAX_DELIVERY_ATTEMPTS, DEFAULT_TTL_MINUTES } from '../domain/delivery-rules/retry-policy.js'
import type { AcceptedEvent, DeliverySchema, InputSchema } from '../domain/events.js'
import { compileFilter, normalizeFilter, type CompiledFilter, type FilterSchema } from '../domain/filter/index.js'
import { Fifo } from './fifo.js'

export type ProvisioningState = 'Creating' | 'AwaitingManualAction' | 'Succeeded' | 'Failed'

/**
 * A live subscription. Its settings (read-only here) are made by the SubscriptionRegistry and changed only by it
 * (`reconfigure`, for a hot reload that keeps the subscription's pending work); each runtime field below the
 * settings has one writer, named on it.
 */
export interface SubscriptionRuntime {
  readonly topic: string
  readonly name: string
  readonly body: SubscriptionBody
  readonly deliverySchema: DeliverySchema
  readonly filter: CompiledFilter
  /** The shape `filter` reads (the routing index needs it to look an event's type up in the right field). */
  readonly filterSchema?: FilterSchema
  readonly batch: BatchSettings
  /** True when the subscription set any batch setting (CloudEvents then go as arrays). */
  readonly batching: boolean
  readonly maxDeliveryAttempts: number
  readonly ttlMinutes: number
  readonly endpointUrl: string
  readonly deadLetterContainer: string | undefined
  readonly needsValidation: boolean
  /* Runtime state below; each field has one writer, named on it. */
  /** Written only by the HandshakeRunner (delivery/handshake.ts). */
  state: ProvisioningState
  /** Written only by the HandshakeRunner. */
  stateReason: string | undefined
  /**
   * Events accepted but not yet sent (waiting for validation or for a free connection); O(1) at both ends.
   * Written only by the engine's SubscriptionQueues.
   */
  readonly ready: Fifo<AcceptedEvent>
  /**
   * Events routed here that have no final outcome yet (queued, in flight, waiting for a retry or for their
   * dead-letter file): what the per-topic back-pressure bound counts. Written only by the OutcomeRecorder.
   */
  backlog: number
  /**
   * The scope's SubscriptionMap that adds this subscription's backlog to its total (told of each change by the
   * OutcomeRecorder). Written only by SubscriptionMap.
   */
  backlogHome?: { backlogChanged: (delta: number) => void }
  /** Requests on the wire. Written only by the engine's AttemptRunner. */
  inFlight: number
  /** Cleared (only by DeliveryEngine.detach) when the subscription is deleted or replaced, so late callbacks do nothing. */
  active: boolean
  /** Written only by the HandshakeRunner. */
  validation: { code: string, token: string, expiresAt: number } | undefined
}

export function createSubscription (topic: string, name: string, body: SubscriptionBody, inputSchema: InputSchema, functionsHostUrl = 'http://127.0.0.1:7071'): SubscriptionRuntime {
  const dest = body.destination
  const props = dest.properties
  const deliverySchema = body.eventDeliverySchema ?? defaultDeliverySchema(inputSchema)
  const batching = props.maxEventsPerBatch !== undefined || props.preferredBatchSizeInKilobytes !== undefined
  const filterSchema: FilterSchema = inputSchema === 'CloudEventSchemaV1_0' ? 'CloudEventSchemaV1_0' : 'EventGridSchema'
  return {
    topic,
    name,
    body,
    deliverySchema,
    filter: compileFilter(body.filter === undefined ? undefined : normalizeFilter(body.filter), filterSchema),
    filterSchema,
    batch: {
      maxEventsPerBatch: props.maxEventsPerBatch ?? DEFAULT_BATCH.maxEventsPerBatch,
      preferredBatchSizeInKilobytes: props.preferredBatchSizeInKilobytes ?? DEFAULT_BATCH.preferredBatchSizeInKilobytes
    },
    batching,
    maxDeliveryAttempts: body.retryPolicy?.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
    ttlMinutes: body.retryPolicy?.eventTimeToLiveInMinutes ?? DEFAULT_TTL_MINUTES,
    endpointUrl: endpointOf(body, functionsHostUrl),
    deadLetterContainer: body.deadLetterDestination?.properties.blobContainerName,
    // Azure exempts Azure Functions destinations from the handshake; `validation: skip` opts out explicitly.
    needsValidation: dest.endpointType === 'WebHook' && body.validation !== 'skip',
    state: 'Creating',
    stateReason: undefined,
    ready: new Fifo(),
    backlog: 0,
    inFlight: 0,
    active: true,
    validation: undefined
  }
}

/**
 * Where deliveries go. An AzureFunction destination targets the Event Grid trigger endpoint of a local
 * Functions host (`func start`), which is what Event Grid calls in Azure: `/runtime/webhooks/EventGrid?functionName=NAME`.
 */
function endpointOf (body: SubscriptionBody, functionsHostUrl: string): string {
  const props = body.destination.properties
  if (body.destination.endpointType !== 'AzureFunction' || props.resourceId === undefined) return props.endpointUrl ?? ''
  const base = (props.endpointUrl ?? functionsHostUrl).replace(/\/$/, '')
  return `${base}/runtime/webhooks/EventGrid?functionName=${encodeURIComponent(functionNameOf(props.resourceId) ?? '')}`
}

/** The filter view of an event: the CloudEvent on CloudEvents topics, else the Event Grid envelope. */
export function filterView (event: AcceptedEvent): Record<string, unknown> {
  return (event.cloudEvent ?? event.eventGrid) as unknown as Record<string, unknown>
}

/**
 * The public description of a subscription for the admin API. As ARM GET does, it hides secrets: the values of
 * `isSecret` delivery attributes, and the endpoint URL's query string (only `endpointBaseUrl` is shown then).
 */
export function describeSubscription (sub: SubscriptionRuntime): Record<string, unknown> {
  const props = sub.body.destination.properties
  const mappings = props.deliveryAttributeMappings?.map((m) =>
    m.properties.isSecret === true ? { ...m, properties: { ...m.properties, value: undefined } } : m)
  const { endpointUrl, ...rest } = props
  const base = endpointUrl?.split('?')[0]
  const destinationProps = {
    ...rest,
    ...(endpointUrl !== undefined && endpointUrl === base ? { endpointUrl } : {}),
    ...(base !== undefined ? { endpointBaseUrl: base } : {}),
    ...(mappings !== undefined ? { deliveryAttributeMappings: mappings } : {})
  }
  return {
    name: sub.name,
    topic: sub.topic,
    properties: {
      ...sub.body,
      destination: { ...sub.body.destination, properties: destinationProps },
      eventDeliverySchema: sub.deliverySchema,
      provisioningState: sub.state,
      ...(sub.stateReason !== undefined ? { provisioningStateReason: sub.stateReason } : {})
    },
    pendingEvents: sub.ready.length,
    inFlightRequests: sub.inFlight
  }
}
