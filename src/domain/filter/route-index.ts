/**
 * Routing index: which of a topic's subscriptions can possibly match an event, without evaluating every filter.
 *
 * Each subscription is filed under one *guard*: a condition its filter requires and that an event can be looked
 * up by — a value of a StringIn / NumberIn / BoolEquals filter, a prefix of `subjectBeginsWith` or of a
 * StringBeginsWith filter, an `includedEventTypes` entry. An event is then evaluated only against the
 * subscriptions whose guard it meets, plus those without a usable guard. A guard is only ever a *necessary*
 * condition of the filter, and the verdict still comes from the compiled filter, so routing through the index
 * decides exactly as evaluating every filter (test/domain/route-index.test.ts checks this against brute force).
 *
 * Case-insensitive comparisons are RegExps with the `i` flag and no `u` flag (patterns.ts), which fold case one
 * UTF-16 unit at a time and never fold a non-ASCII unit into an ASCII one. So an ASCII character in a filter
 * value matches only the same ASCII letter in either case: keys are built from the ASCII lead of each value,
 * lower-cased, and the event side lower-cases what it looks up. Anything non-ASCII in a value shortens the key
 * (prefixes) or makes the guard unusable (equality), which only widens the candidate set.
 *
 * Leaving a subscription out is only exact if its filter would have *declined* the event, not thrown on it (a
 * throwing filter drops the event for that subscription). On JSON data no filter throws, but an event handed to
 * the in-process API may hold a getter, a Proxy or an object with another prototype, which run code when read
 * (and may answer differently each time). So before trusting itself the index checks that every value the
 * filters it may leave out can read — the properties along their keys (in any casing), and the elements of an
 * array at the end of a key — is plain data; otherwise it names no candidates and every filter runs.
 *
 * Pure: no I/O, no clock. Build once per change of a topic's subscriptions; query per event.
 */
import { parseKey, resolveKey, type KeyPath } from './keys.js'
import { normalizeFilter } from './normalize.js'
import type { AdvancedFilter, FilterSchema, SubscriptionFilter } from './types.js'

/** What the index needs to know about one subscription. */
export interface Routable {
  /** As written (any casing); normalised here. */
  filter: unknown
  /** Unknown: the subscription is never filed under its event types (other guards still apply). */
  schema: FilterSchema | undefined
}

export interface RouteIndex {
  /** How many subscriptions the index was built over. */
  readonly size: number
  /**
   * Positions (in the order given to buildRouteIndex, ascending) of the subscriptions whose filter may match
   * `event` (the filter view: the Event Grid envelope or the CloudEvent). Every other one certainly declines.
   * Undefined when the event holds something other than plain data where filters read: evaluate every filter.
   */
  candidates: (event: Record<string, unknown>) => number[] | undefined
}

/**
 * The names filters read, from the event down, by lower-cased segment (a key is read in any casing). `leaf`:
 * some key ends here, so an array found here is read element by element.
 */
interface ReadNode { leaf: boolean, children: Map<string, ReadNode> }

/** Equality on the value at a key (StringIn, NumberIn, BoolEquals), for one key spelling and array setting. */
interface ValueGroup { kind: 'value', path: KeyPath, arrays: boolean, byValue: Map<unknown, number[]> }
/** Case-insensitive prefix of the (string) value at a key: StringBeginsWith, or subjectBeginsWith. */
interface PrefixGroup { kind: 'prefix', path: KeyPath, arrays: boolean, ignoreCase: boolean, byPrefix: Map<string, number[]>, lengths: number[] }
/** `includedEventTypes`, by the field the schema names the type in. */
interface TypeGroup { kind: 'type', field: string, byType: Map<string, number[]> }
type Group = ValueGroup | PrefixGroup | TypeGroup

type Guard =
  | { kind: 'value', key: string, arrays: boolean, values: unknown[] }
  | { kind: 'prefix', key: string, arrays: boolean, ignoreCase: boolean, prefixes: string[] }
  | { kind: 'type', field: string, types: string[] }
  | { kind: 'never' }

/**
 * Builds the index; `items[i]` is reported as position i. `opaque` tells values that run code when merely looked
 * at (the engine passes node:util's `types.isProxy`, which pure code cannot import).
 */
export function buildRouteIndex (items: readonly Routable[], opaque: (value: object) => boolean): RouteIndex {
  const groups = new Map<string, Group>()
  const always: number[] = []
  const reads: ReadNode = { leaf: false, children: new Map() }
  items.forEach((item, position) => {
    const guard = chooseGuard(item)
    if (guard === undefined) { always.push(position); return }
    // Only the filters the index may leave out need their reads checked: the others run anyway.
    addReads(reads, item.filter)
    if (guard.kind === 'never') return
    fileUnder(groups, guard, position)
  })
  const list = [...groups.values()]
  for (const g of list) if (g.kind === 'prefix') g.lengths.sort((a, b) => a - b)
  // Stamps instead of a Set: marking a position seen costs one array write, and nothing is allocated per query
  // but the answer (no closure either: the collector is made once).
  const c: Collector = { seen: new Uint32Array(items.length), stamp: 0, out: [] }
  return {
    size: items.length,
    candidates (event) {
      if (always.length < items.length && !plainAlong(event, reads, opaque)) return undefined
      if (++c.stamp === 0xffffffff) { c.seen.fill(0); c.stamp = 1 }
      const out = c.out = always.slice()
      for (const p of always) c.seen[p] = c.stamp
      for (const g of list) {
        if (g.kind === 'type') {
          const type = event[g.field]
          if (typeof type === 'string') collect(c, g.byType.get(type.toLowerCase()))
        } else {
          const value = resolveKey(event, g.path)
          if (Array.isArray(value)) {
            // A positive operator looks into an array only with enableAdvancedFilteringOnArrays.
            if (g.arrays) for (const element of value) lookUp(g, element, c)
          } else {
            lookUp(g, value, c)
          }
        }
      }
      c.out = NONE // not kept between queries
      if (out.length !== always.length) out.sort((a, b) => a - b)
      return out
    }
  }
}

const NONE: number[] = []

/** The positions found so far for one query, and which are already in (`seen[p] === stamp`). */
interface Collector { seen: Uint32Array, stamp: number, out: number[] }

function collect (c: Collector, positions: number[] | undefined): void {
  if (positions === undefined) return
  const { seen, stamp, out } = c
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!
    if (seen[p] !== stamp) { seen[p] = stamp; out.push(p) }
  }
}

/** Every key, subject clause and event-type field of a (valid) filter, into the tree of reads. */
function addReads (reads: ReadNode, raw: unknown): void {
  const filter = normalizeFilter(raw)
  const add = (key: string): void => {
    let node = reads
    for (const segment of key.split('.')) {
      const name = segment.toLowerCase()
      let next = node.children.get(name)
      if (next === undefined) { next = { leaf: false, children: new Map() }; node.children.set(name, next) }
      node = next
    }
    node.leaf = true
  }
  // The clauses read these top-level fields; cheap to check always.
  add('subject')
  add('eventType')
  add('type')
  for (const f of filter.advancedFilters ?? []) if (typeof f.key === 'string') add(f.key)
}

/**
 * Whether every value the filters can read from `value` (along `node`) is plain data: objects and arrays with
 * the usual prototype, not opaque, whose properties read are data properties (no getters). Reads no property
 * through a getter or a Proxy on the way.
 */
function plainAlong (value: object, node: ReadNode, opaque: (value: object) => boolean): boolean {
  if (opaque(value)) return false
  if (Array.isArray(value)) {
    // Keys stop at an array; only one at the end of a key has its elements read (and iterated).
    if (!node.leaf) return true
    if (Object.getPrototypeOf(value) !== Array.prototype) return false
    for (const name of Object.getOwnPropertyNames(value)) {
      if (name === 'length') continue
      const d = Object.getOwnPropertyDescriptor(value, name)!
      if (!('value' in d)) return false
    }
    return Object.getOwnPropertySymbols(value).length === 0
  }
  // Nothing is read from an object at the end of a key (only its type is looked at).
  if (node.children.size === 0) return true
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return false
  for (const name of Object.getOwnPropertyNames(value)) {
    const child = node.children.get(name) ?? node.children.get(name.toLowerCase())
    if (child === undefined) continue
    const d = Object.getOwnPropertyDescriptor(value, name)!
    if (!('value' in d)) return false
    const v = d.value as unknown
    if (typeof v === 'object' && v !== null && !plainAlong(v, child, opaque)) return false
  }
  return true
}

function lookUp (g: ValueGroup | PrefixGroup, value: unknown, c: Collector): void {
  if (g.kind === 'value') {
    if (typeof value === 'string') collect(c, g.byValue.get(value.toLowerCase()))
    else if (typeof value === 'number' || typeof value === 'boolean') collect(c, g.byValue.get(value))
    return
  }
  if (typeof value !== 'string') return
  for (const length of g.lengths) {
    if (length > value.length) break
    const head = value.slice(0, length)
    collect(c, g.byPrefix.get(g.ignoreCase ? head.toLowerCase() : head))
  }
}

function fileUnder (groups: Map<string, Group>, guard: Exclude<Guard, { kind: 'never' }>, position: number): void {
  const push = <K>(map: Map<K, number[]>, key: K): void => {
    const at = map.get(key)
    if (at === undefined) map.set(key, [position])
    else if (at[at.length - 1] !== position) at.push(position)
  }
  if (guard.kind === 'type') {
    let g = groups.get(`type ${guard.field}`) as TypeGroup | undefined
    if (g === undefined) { g = { kind: 'type', field: guard.field, byType: new Map() }; groups.set(`type ${guard.field}`, g) }
    for (const type of guard.types) push(g.byType, type.toLowerCase())
    return
  }
  if (guard.kind === 'value') {
    const id = `value ${guard.arrays ? 1 : 0} ${guard.key}`
    let g = groups.get(id) as ValueGroup | undefined
    if (g === undefined) { g = { kind: 'value', path: parseKey(guard.key), arrays: guard.arrays, byValue: new Map() }; groups.set(id, g) }
    for (const v of guard.values) push(g.byValue, typeof v === 'string' ? v.toLowerCase() : v)
    return
  }
  const id = `prefix ${guard.arrays ? 1 : 0} ${guard.ignoreCase ? 1 : 0} ${guard.key}`
  let g = groups.get(id) as PrefixGroup | undefined
  if (g === undefined) { g = { kind: 'prefix', path: parseKey(guard.key), arrays: guard.arrays, ignoreCase: guard.ignoreCase, byPrefix: new Map(), lengths: [] }; groups.set(id, g) }
  for (const prefix of guard.prefixes) {
    const key = guard.ignoreCase ? asciiLead(prefix).toLowerCase() : prefix
    push(g.byPrefix, key)
    if (!g.lengths.includes(key.length)) g.lengths.push(key.length)
  }
}

/**
 * The most selective condition the filter requires, `never` when it can match nothing, or undefined when it
 * requires nothing the index can look up. Equality first (one lookup, usually one subscription), then prefixes,
 * then event types (often shared by many subscriptions), then booleans (two values).
 */
function chooseGuard (item: Routable): Guard | undefined {
  let filter: SubscriptionFilter
  try { filter = normalizeFilter(item.filter) } catch { return undefined }
  const arrays = filter.enableAdvancedFilteringOnArrays === true
  const advanced = filter.advancedFilters ?? []
  let bool: Guard | undefined
  for (const f of advanced) {
    const guard = equalityGuard(f, arrays)
    if (guard === undefined) continue
    if (guard.kind === 'value' && typeof guard.values[0] === 'boolean') { bool ??= guard; continue }
    return guard
  }
  for (const f of advanced) {
    if (f.operatorType !== 'StringBeginsWith' || !Array.isArray(f.values) || f.values.length === 0) continue
    if (!f.values.every((v) => typeof v === 'string')) continue
    return { kind: 'prefix', key: f.key, arrays, ignoreCase: true, prefixes: f.values as string[] }
  }
  const beginsWith = filter.subjectBeginsWith ?? ''
  // subjectBeginsWith reads the subject directly: never through an array, and case-sensitively if asked.
  if (beginsWith !== '') return { kind: 'prefix', key: 'subject', arrays: false, ignoreCase: filter.isSubjectCaseSensitive !== true, prefixes: [beginsWith] }
  const types = filter.includedEventTypes
  if (types != null && item.schema !== undefined && !types.some((type) => typeof type !== 'string' || type.toLowerCase() === 'all')) {
    if (types.length === 0) return { kind: 'never' }
    return { kind: 'type', field: item.schema === 'CloudEventSchemaV1_0' ? 'type' : 'eventType', types }
  }
  return bool
}

function equalityGuard (f: AdvancedFilter, arrays: boolean): Guard | undefined {
  switch (f.operatorType) {
    case 'StringIn': {
      const values = f.values
      // An empty list still matches '' (the pattern is ^(?:)$); a non-ASCII value may fold to other letters.
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' && isAscii(v))) return undefined
      return { kind: 'value', key: f.key, arrays, values }
    }
    case 'NumberIn':
      if (!Array.isArray(f.values) || !f.values.every((v) => typeof v === 'number')) return undefined
      return f.values.length === 0 ? { kind: 'never' } : { kind: 'value', key: f.key, arrays, values: f.values }
    case 'BoolEquals':
      return typeof f.value === 'boolean' ? { kind: 'value', key: f.key, arrays, values: [f.value] } : undefined
    default:
      return undefined
  }
}

function isAscii (text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}

/** The text up to its first non-ASCII unit: the part of a case-insensitive prefix a lower-cased key can carry. */
function asciiLead (text: string): string {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return text.slice(0, i)
  return text
}
