/**
 * Wire shapes of the events the emulator accepts and delivers.
 * Pure types and tiny guards: no I/O here.
 */

/** An event in the Event Grid schema, as published and as delivered (camelCase on the wire). */
export interface EventGridEvent {
  id: string
  topic?: string
  subject: string
  eventType: string
  eventTime: string
  data?: unknown
  dataVersion?: string
  metadataVersion?: string
}

/**
 * A CloudEvents 1.0 event (JSON format). Extension attributes are kept as extra top-level properties.
 * `specversion` and `source` are optional because Event Grid accepts events without them and delivers them as published.
 */
export interface CloudEvent {
  specversion?: string
  id: string
  source?: string
  type: string
  subject?: string
  time?: string
  datacontenttype?: string
  dataschema?: string
  data?: unknown
  data_base64?: string
  [extension: string]: unknown
}

/** A topic's input schema (ARM `inputSchema`). */
export type InputSchema = 'EventGridSchema' | 'CloudEventSchemaV1_0' | 'CustomEventSchema'
export const INPUT_SCHEMAS: readonly InputSchema[] = ['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomEventSchema']

/** A subscription's delivery schema (ARM `eventDeliverySchema`). */
export type DeliverySchema = 'EventGridSchema' | 'CloudEventSchemaV1_0' | 'CustomInputSchema'
export const DELIVERY_SCHEMAS: readonly DeliverySchema[] = ['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomInputSchema']

/**
 * One accepted event as it travels through the pipeline.
 * `filterView` is the object filters are evaluated against: the Event Grid envelope for Event Grid and
 * custom topics (custom events are mapped to an envelope whose `data` is the original object), the
 * CloudEvent itself for CloudEvents topics.
 */
export interface AcceptedEvent {
  /** The schema the event was published in. */
  inputSchema: InputSchema
  /** Event Grid envelope (EG and custom topics) — undefined for CloudEvents topics. */
  eventGrid?: EventGridEvent
  /** The CloudEvent as published (CloudEvents topics only). */
  cloudEvent?: CloudEvent
  /** The original object as published (custom topics only): what `CustomInputSchema` delivers. */
  custom?: Record<string, unknown>
  /** Stable id used in logs and the admin API (the event's own id). */
  id: string
  /** Event type used for logs (eventType or CloudEvents type). */
  type: string
  /** When the emulator accepted it (ISO string). */
  publishTime: string
}

export function isPlainObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
