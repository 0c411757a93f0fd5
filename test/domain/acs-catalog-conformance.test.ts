/**
 * Every catalog type, generated with defaults and with overrides, checked against its entry in
 * data/acs-events.json by an independent validator: required fields, wire types (nested
 * objects and array items), enum values, no unknown fields, subject vs subjectFormat, the envelope.
 */
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import t, { type Test } from 'tap'
import { generateAcsEvent, type GenerateContext } from '../../src/domain/acs/index.js'
import type { EventGridEvent } from '../../src/domain/events.js'

interface JsonField {
  name: string
  type: string
  itemType?: string
  required?: boolean
  nullable?: boolean
  enum?: string[]
  knownValues?: string[]
  map?: boolean
  additionalProperties?: string
  model?: string
  recursive?: boolean
  fields?: JsonField[]
}
interface JsonEntry {
  eventType: string
  subjectFormat: string
  dataVersion: string
  fields: JsonField[]
  sample: { subject: string; data: Record<string, unknown> }
}

const CATALOG = JSON.parse(readFileSync(new URL('../../data/acs-events.json', import.meta.url), 'utf8')) as JsonEntry[]
const TOPIC = '/subscriptions/3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/resourcegroups/rg-Test/providers/microsoft.communication/communicationservices/acs-Test'
const ctx: GenerateContext = { topic: TOPIC, now: () => new Date(), newGuid: () => randomUUID() }
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function typeOk (type: string, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string'
    case 'integer': return Number.isInteger(v)
    case 'number': return typeof v === 'number'
    case 'boolean': return typeof v === 'boolean'
    case 'date-time': return typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v.replace(/\.(\d{3})\d+/, '.$1')))
    case 'object': return isObject(v)
    case 'array': return Array.isArray(v)
    default: return true
  }
}

/** Problems of `value` against `field`; `models` resolves self-referencing (recursive) fields. */
function checkValue (field: JsonField, value: unknown, path: string, models: Map<string, JsonField[]>, out: string[]): void {
  if (value === null) {
    if (field.nullable !== true) out.push(`${path}: null but not nullable`)
    return
  }
  if (!typeOk(field.type, value)) { out.push(`${path}: expected ${field.type}, got ${JSON.stringify(value)}`); return }
  const allowed = [...(field.enum ?? []), ...(field.knownValues ?? [])]
  if (typeof value === 'string' && allowed.length > 0 && !allowed.includes(value)) out.push(`${path}: '${value}' not in ${allowed.join('|')}`)
  if (field.type === 'object' && isObject(value)) {
    if (field.map === true) {
      for (const [k, v] of Object.entries(value)) {
        if (field.additionalProperties === 'string' && typeof v !== 'string') out.push(`${path}.${k}: map value not a string`)
      }
      return
    }
    const fields = field.recursive === true ? models.get(field.model!) : field.fields
    if (field.model !== undefined && field.fields) models.set(field.model, field.fields)
    if (fields) checkObject(fields, value, path, models, out)
  }
  if (field.type === 'array' && Array.isArray(value)) {
    const item: JsonField = { ...field, type: field.itemType ?? 'any', nullable: false, map: false }
    value.forEach((v, i) => checkValue(item, v, `${path}[${i}]`, models, out))
  }
}

function checkObject (fields: JsonField[], data: Record<string, unknown>, path: string, models: Map<string, JsonField[]>, out: string[]): void {
  for (const f of fields) if (f.required === true && !(f.name in data)) out.push(`${path}.${f.name}: required but missing`)
  for (const [k, v] of Object.entries(data)) {
    const f = fields.find((x) => x.name === k)
    if (f === undefined) out.push(`${path}.${k}: not a field of this type`)
    else checkValue(f, v, `${path}.${k}`, models, out)
  }
}

function subjectRegex (format: string): RegExp {
  const src = format.split(/(\{[^}]+\})/).map((p) => (p.startsWith('{') ? '([^/]+)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')
  return new RegExp(`^${src}$`)
}

function leaves (v: unknown, path: Array<string | number> = [], out: Array<[Array<string | number>, unknown]> = []) {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, [...path, i], out))
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) leaves(x, [...path, k], out)
  else out.push([path, v])
  return out
}

const at = (v: unknown, path: Array<string | number>): unknown => path.reduce<unknown>((cur, k) => (cur as Record<string | number, unknown> | undefined)?.[k], v)

function conformance (t: Test, entry: JsonEntry, event: EventGridEvent): void {
  t.same(Object.keys(event), ['id', 'topic', 'subject', 'data', 'eventType', 'dataVersion', 'metadataVersion', 'eventTime'], 'envelope keys')
  t.equal(event.eventType, entry.eventType)
  t.equal(event.topic, TOPIC)
  t.equal(event.dataVersion, entry.dataVersion)
  t.equal(event.metadataVersion, '1')
  t.match(event.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/, 'eventTime has 7 fractional digits and Z')
  t.ok(event.id.length > 0, 'id')
  const problems: string[] = []
  t.ok(isObject(event.data), 'data is an object')
  checkObject(entry.fields, event.data as Record<string, unknown>, 'data', new Map(), problems)
  t.same(problems, [], 'data conforms to the catalog fields')
  // The subject follows the format, and each placeholder carries the value of the data field that carried
  // the same value in the catalog sample (so subject and data describe the same thread/number/user…).
  const re = subjectRegex(entry.subjectFormat)
  const got = re.exec(event.subject)
  t.ok(got, `subject '${event.subject}' matches ${entry.subjectFormat}`)
  const want = re.exec(entry.sample.subject)!
  // eslint-disable-next-line no-unmodified-loop-condition -- `got` is fixed for the loop: it only guards it
  for (let g = 1; got && g < want.length; g++) {
    const [path] = leaves(entry.sample.data).find(([, v]) => v === want[g] || v === `+${want[g]}`) ?? []
    if (path === undefined) continue
    t.equal(String(at(event.data, path)).replace(/^\+/, ''), got[g], `subject segment ${g} = data.${path.join('.')}`)
  }
}

/** A few overrides every type can take: a free string, an enum value, an integer. */
function overridesFor (entry: JsonEntry): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  const str = entry.fields.find((f) => f.type === 'string' && !f.enum && !f.knownValues)
  if (str) data[str.name] = `override-${str.name}`
  const en = entry.fields.find((f) => f.type === 'string' && (f.enum ?? f.knownValues))
  if (en) data[en.name] = (en.enum ?? en.knownValues)!.at(-1)
  const int = entry.fields.find((f) => f.type === 'integer')
  if (int) data[int.name] = 7
  return data
}

t.equal(CATALOG.length, 56, 'the catalog has 56 event types')

for (const entry of CATALOG) {
  t.test(entry.eventType, async (t) => {
    const a = generateAcsEvent(entry.eventType, {}, ctx)
    conformance(t, entry, a)
    const b = generateAcsEvent(entry.eventType, {}, ctx)
    t.not(a.id, b.id, 'a fresh id on every call')
    t.not(JSON.stringify(a.data), JSON.stringify(b.data), 'fresh values on every call')
    for (const [path, v] of leaves(a.data)) {
      if (typeof v !== 'string') continue
      if (v.startsWith('8:acs:')) t.match(v, new RegExp(`^8:acs:${GUID}_${GUID}$`), `raw id at ${path.join('.')}`)
      if (v.startsWith('4:')) t.match(v, /^4:\+\d{8,15}$/, `phone raw id at ${path.join('.')}`)
    }

    const overrides = overridesFor(entry)
    const c = generateAcsEvent(entry.eventType, { data: overrides }, ctx)
    conformance(t, entry, c)
    for (const [k, v] of Object.entries(overrides)) t.equal((c.data as Record<string, unknown>)[k], v, `override data.${k} applied`)
  })
}
