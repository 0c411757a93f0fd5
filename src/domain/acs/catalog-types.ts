/**
 * Shapes of the generated ACS catalog (`catalog.generated.ts`).
 * The catalog is data, produced by scripts/generate-acs-catalog.ts from data/acs-events.json.
 */

export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'object' | 'array' | 'any'

/** One wire field of an event's `data`, in compact form (the JSON's `fields[]` minus provenance notes). */
export interface FieldSpec {
  name: string
  type: FieldType
  /** Element type of an array. */
  itemType?: FieldType
  /** Real events always carry it (the catalog's judgement, not the SDK's `sdkRequired`). */
  required?: boolean
  nullable?: boolean
  /** Allowed string values: the catalog's `enum` plus doc-only `knownValues`. All ACS enums are open. */
  values?: readonly string[]
  /** A string-keyed dictionary (labels, tags, metadata): the type of its values. */
  map?: 'string' | 'any'
  /** Nested fields of an object, or of each element of an array of objects. */
  fields?: readonly FieldSpec[]
  /** Set on an object whose `fields` a descendant refers back to. */
  model?: string
  /** This field reuses the fields of the nearest ancestor with this `model` (self-referencing error model). */
  recursive?: string
}

/**
 * One `{placeholder}` of a subject format. `paths` are the data paths that carry the same value in the
 * catalog sample, best first, so the subject can be rebuilt from (overridden) data. When no data field
 * carries it (e.g. the recording id), `sample` is the value in the catalog sample, re-generated freshly.
 */
export interface SubjectPlaceholder {
  name: string
  paths: ReadonlyArray<ReadonlyArray<string | number>>
  /** The subject shows the number without its leading '+' (SMS subjects). */
  stripPlus?: boolean
  sample: string
}

export type SubjectPart = string | SubjectPlaceholder

export interface AcsCatalogEntry {
  eventType: string
  category: string
  /** Chat only: per-user (`user`) or thread-level (`thread`) event. */
  level?: string
  status: string
  firstSeen: string
  description: string
  subjectFormat: string
  subjectParts: readonly SubjectPart[]
  /** Data field whose value is also the event `id` (SMS: `messageId`). */
  idPath?: string
  dataVersion: string
  fields: readonly FieldSpec[]
  /** The catalog's sample event: the template that generated events are re-skinned from. */
  sample: { id: string; subject: string; eventTime: string; data: Record<string, unknown> }
}
