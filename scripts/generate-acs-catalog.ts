/**
 * Generates src/domain/acs/catalog.generated.ts from data/acs-events.json.
 *
 *   node --import tsx scripts/generate-acs-catalog.ts
 *
 * The catalog is data, not code: per event type its wire fields (compact), its subject format split into
 * literal parts and placeholders (with the data paths that carry each placeholder's value in the sample,
 * so subjects can be rebuilt after overrides), and the sample event used as the template for fresh events.
 * test/domain/acs-catalog-fresh.test.ts re-renders into memory and fails on any difference.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { AcsCatalogEntry, FieldSpec, SubjectPart } from '../src/domain/acs/catalog-types.js'

export const ACS_EVENTS_JSON_URL = new URL('../data/acs-events.json', import.meta.url)
export const CATALOG_OUTPUT_URL = new URL('../src/domain/acs/catalog.generated.ts', import.meta.url)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Path = Array<string | number>

interface SourceField {
  name: string
  type: FieldSpec['type']
  itemType?: FieldSpec['type']
  required?: boolean
  nullable?: boolean
  enum?: string[]
  knownValues?: string[]
  map?: boolean
  additionalProperties?: string
  model?: string
  recursive?: boolean
  fields?: SourceField[]
}

interface SourceEntry {
  eventType: string
  category: string
  level?: string
  status: string
  firstSeen: string
  description: string
  subjectFormat: string
  dataVersion: string
  fields: SourceField[]
  sample: { id: string; subject: string; eventTime: string; data: Record<string, Json> }
}

// ---------- compaction ----------

function recursiveModels (fields: readonly SourceField[], out = new Set<string>()): Set<string> {
  for (const f of fields) {
    if (f.recursive === true && f.model !== undefined) out.add(f.model)
    if (f.fields) recursiveModels(f.fields, out)
  }
  return out
}

function compactField (f: SourceField, targets: Set<string>): FieldSpec {
  const spec: FieldSpec = { name: f.name, type: f.type }
  if (f.itemType !== undefined) spec.itemType = f.itemType
  if (f.required === true) spec.required = true
  if (f.nullable === true) spec.nullable = true
  const values = [...new Set([...(f.enum ?? []), ...(f.knownValues ?? []).map(String)])]
  if (values.length > 0) spec.values = values
  if (f.map === true) spec.map = f.additionalProperties === 'string' ? 'string' : 'any'
  if (f.recursive === true && f.model !== undefined) spec.recursive = f.model
  else if (f.fields !== undefined) {
    if (f.model !== undefined && targets.has(f.model)) spec.model = f.model
    spec.fields = f.fields.map((c) => compactField(c, targets))
  }
  return spec
}

// ---------- subject analysis ----------

function stringLeaves (value: Json, path: Path = [], out: Array<{ path: Path; value: string }> = []) {
  if (typeof value === 'string') out.push({ path, value })
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...path, i], out))
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) stringLeaves(v, [...path, k], out)
  }
  return out
}

/** Prefer identity `rawId`s, then paths outside arrays, then the shortest. */
function pathRank (path: Path): number {
  const inArray = path.some((p) => typeof p === 'number') ? 100 : 0
  const rawId = path[path.length - 1] === 'rawId' ? 0 : 10
  return inArray + rawId + path.length
}

function subjectParts (entry: SourceEntry): SubjectPart[] {
  const pieces = entry.subjectFormat.split(/(\{[^}]+\})/).filter((p) => p !== '')
  const pattern = pieces.map((p) => (p.startsWith('{') ? '([^/]+)' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')
  const match = new RegExp(`^${pattern}$`).exec(entry.sample.subject)
  if (match === null) throw new Error(`${entry.eventType}: sample subject does not match ${entry.subjectFormat}`)
  const leaves = stringLeaves(entry.sample.data)
  let group = 1
  return pieces.map((piece) => {
    if (!piece.startsWith('{')) return piece
    const name = piece.slice(1, -1)
    const sample = match[group++]!
    const exact = leaves.filter((l) => l.value === sample)
    const plus = exact.length === 0 ? leaves.filter((l) => l.value === `+${sample}`) : []
    const paths = [...exact, ...plus].map((l) => l.path).sort((a, b) => pathRank(a) - pathRank(b))
    return plus.length > 0 ? { name, paths, stripPlus: true, sample } : { name, paths, sample }
  })
}

function toEntry (src: SourceEntry): AcsCatalogEntry {
  const targets = recursiveModels(src.fields)
  const entry: AcsCatalogEntry = {
    eventType: src.eventType,
    category: src.category,
    status: src.status,
    firstSeen: src.firstSeen,
    description: src.description,
    subjectFormat: src.subjectFormat,
    subjectParts: subjectParts(src),
    dataVersion: src.dataVersion,
    fields: src.fields.map((f) => compactField(f, targets)),
    sample: { id: src.sample.id, subject: src.sample.subject, eventTime: src.sample.eventTime, data: src.sample.data }
  }
  if (src.level !== undefined) entry.level = src.level
  const idField = Object.entries(src.sample.data).find(([, v]) => v === src.sample.id)
  if (idField !== undefined) entry.idPath = idField[0]
  return entry
}

// ---------- TypeScript emission ----------

const WIDTH = 110

function quote (s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

function key (k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k)
}

/** A value as a TS literal: one line when it fits, otherwise one element per line. */
function lit (value: unknown, indent: string, refs?: (v: unknown) => string | undefined): string {
  const ref = refs?.(value)
  if (ref !== undefined) return ref
  if (typeof value === 'string') return quote(value)
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  const inner = indent + '  '
  const items = Array.isArray(value)
    ? value.map((v) => lit(v, inner, refs))
    : Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${key(k)}: ${lit(v, inner, refs)}`)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }']
  if (items.length === 0) return Array.isArray(value) ? '[]' : '{}'
  const flat = `${open}${items.join(', ')}${close}`
  if (!flat.includes('\n') && flat.length + indent.length <= WIDTH) return flat
  return `${open.trim()}\n${items.map((i) => inner + i).join(',\n')}\n${indent}${close.trim()}`
}

function constName (model: string | undefined, taken: Set<string>): string {
  const base = (model ?? 'SHARED').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase() + '_FIELDS'
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
  taken.add(name)
  return name
}

/** Field lists that occur more than once (identifier models, worker selectors…) become shared constants. */
function hoistFields (entries: readonly AcsCatalogEntry[], sources: readonly SourceEntry[]) {
  const counts = new Map<string, number>()
  const models = new Map<string, string>()
  const visit = (fields: readonly FieldSpec[], srcFields: readonly SourceField[], top: boolean) => {
    if (!top) {
      const k = JSON.stringify(fields)
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    fields.forEach((f, i) => {
      const src = srcFields[i]!
      if (f.fields && src.fields) {
        if (!models.has(JSON.stringify(f.fields))) models.set(JSON.stringify(f.fields), src.model ?? f.name)
        visit(f.fields, src.fields, false)
      }
    })
  }
  entries.forEach((e, i) => visit(e.fields, sources[i]!.fields, true))
  const consts = new Map<string, { name: string; code: string }>()
  const taken = new Set<string>()
  const refs = (v: unknown): string | undefined => {
    if (!Array.isArray(v) || v.length === 0 || typeof v[0] !== 'object' || v[0] === null || !('type' in v[0])) return undefined
    const k = JSON.stringify(v)
    if ((counts.get(k) ?? 0) < 2) return undefined
    const existing = consts.get(k)
    if (existing) return existing.name
    const code = lit(v, '', (inner) => (inner === v ? undefined : refs(inner)))
    const name = constName(models.get(k), taken)
    consts.set(k, { name, code })
    return name
  }
  return { consts, refs }
}

export function renderAcsCatalog (source: unknown): string {
  const sources = source as SourceEntry[]
  const entries = sources.map(toEntry)
  const { consts, refs } = hoistFields(entries, sources)
  const body = entries.map((e) => {
    const fieldsCode = lit(e.fields, '    ', (v) => (v === e.fields ? undefined : refs(v)))
    const rest = lit({ ...e, fields: undefined }, '  ')
    return rest.replace(/\n {2}}$/, `,\n    fields: ${fieldsCode}\n  }`)
  })
  const constCode = [...consts.values()].map((c) => `const ${c.name}: readonly FieldSpec[] = ${c.code}\n`).join('\n')
  // The data sits in a function that runs on first use: V8 only skims a function's body until it is called, so
  // `serve` does not build (or fully parse) 150 KB of catalog before it listens, and pays for it on the first ACS
  // request instead (issue #13: the ACS generator loaded on first use).
  const indent = (code: string): string => code.replace(/\n(?!\n)/g, '\n  ')
  return [
    '// generated by scripts/generate-acs-catalog.ts — do not edit',
    `// Source: data/acs-events.json (${entries.length} event types).`,
    '// Regenerate with: node --import tsx scripts/generate-acs-catalog.ts',
    "import type { AcsCatalogEntry, FieldSpec } from './catalog-types.js'",
    '',
    '/** The catalog, built on the first call (a module-level literal would be built at every start). */',
    'export function acsCatalog (): readonly AcsCatalogEntry[] {',
    '  return (built ??= buildCatalog())',
    '}',
    '',
    'let built: readonly AcsCatalogEntry[] | undefined',
    '',
    'function buildCatalog (): readonly AcsCatalogEntry[] {',
    `  ${indent(constCode)}`,
    `  return [\n    ${indent(body.join(',\n  '))}\n  ]`,
    '}',
    ''
  ].join('\n')
}

export function readAcsEventsJson (url: URL = ACS_EVENTS_JSON_URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8')) as unknown
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(CATALOG_OUTPUT_URL, renderAcsCatalog(readAcsEventsJson()))
  process.stdout.write(`wrote ${fileURLToPath(CATALOG_OUTPUT_URL)}\n`)
}
