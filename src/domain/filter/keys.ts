/**
 * Advanced-filter key resolution (reference §4.3).
 *
 * A key is a dot-separated path from the event root: `subject`, `ID`, `data.appEventTypeDetail.action`,
 * a CloudEvents extension attribute such as `comexampleextension1`. Each segment is looked up by exact name
 * first and then case-insensitively, which covers both the envelope names the docs write in any casing
 * (`Subject`, `EventType`, `Data.Key1`) and data properties. There is no escaping, so a property whose name
 * contains a dot cannot be addressed (documented Azure limitation).
 */

export interface KeyPath {
  segments: readonly string[]
  lowerSegments: readonly string[]
  /** 1 or 2 when the key can take the fast path of resolveKey, else 0 */
  fastDepth: number
  first: string
  /** the envelope's own spelling of the first segment ('EventType' → 'eventType'), or '' */
  firstAlias: string
  second: string
  /**
   * The spelling of the second segment last found by the case-insensitive search ('Key1' → 'key1'), or ''.
   * Learned at match time: events of one topic spell their data the same way, so the next event finds it
   * with a plain read. Only consulted after the exact spelling missed, so exact matches still win.
   */
  secondAlias: string
}

/**
 * Top-level names of the Event Grid envelope and of CloudEvents. The docs write them in PascalCase
 * (`Subject`, `EventType`, `Data.Key1`) while events carry them in camelCase or lower case; knowing the
 * event's spelling up front saves a case-insensitive search per event.
 */
const ENVELOPE_NAMES = new Map([
  'id', 'topic', 'subject', 'eventType', 'eventTime', 'data', 'dataVersion', 'metadataVersion',
  'source', 'type', 'specversion', 'time', 'dataschema', 'datacontenttype'
].map(name => [name.toLowerCase(), name]))

/** Split once at compile time, so matching never re-parses the key. */
export function parseKey (key: string): KeyPath {
  const segments = key.split('.')
  // A plain property read would find Object.prototype members ('constructor', '__proto__'), so those keys
  // always take the careful walk
  const fast = segments.length <= 2 && !segments.some(segment => segment in Object.prototype)
  return {
    segments,
    lowerSegments: segments.map(s => s.toLowerCase()),
    fastDepth: fast ? segments.length : 0,
    first: segments[0] ?? '',
    firstAlias: ENVELOPE_NAMES.get(segments[0]?.toLowerCase() ?? '') ?? '',
    second: segments[1] ?? '',
    secondAlias: ''
  }
}

/**
 * The value at `path`, or undefined when any segment is absent or a parent is not an object.
 * Arrays are not walked into (`data.items.a` on `items: [{a: 1}]` is missing): Event Grid cannot filter
 * on arrays of objects (§4.3).
 * The usual one- and two-segment keys spelled as in the event (or naming an envelope field in any casing)
 * are plain property reads; a miss, another casing or a null value takes the full walk.
 */
export function resolveKey (event: Record<string, unknown>, path: KeyPath): unknown {
  if (path.fastDepth === 0) return walk(event, path)
  let top = event[path.first]
  if (top === undefined && path.firstAlias !== '') top = event[path.firstAlias]
  if (path.fastDepth === 1) return top !== undefined && top !== null ? top : walk(event, path)
  if (!isRecord(top)) return walk(event, path)
  let value = top[path.second]
  if (value === undefined && path.secondAlias !== '') value = top[path.secondAlias]
  if (value !== undefined && value !== null) return value
  value = walk(event, path)
  if (value !== undefined) path.secondAlias = findNameIgnoringCase(top, path.lowerSegments[1]!) ?? ''
  return value
}

function walk (event: Record<string, unknown>, path: KeyPath): unknown {
  const { segments, lowerSegments } = path
  let current: unknown = event
  for (let i = 0; i < segments.length; i++) {
    if (!isRecord(current)) return undefined
    const segment = segments[i]!
    if (Object.hasOwn(current, segment)) {
      // hasOwn, not `in`: a key named 'constructor' must not find Object.prototype.constructor
      current = current[segment]
    } else {
      const name = findNameIgnoringCase(current, lowerSegments[i]!)
      current = name === undefined ? undefined : current[name]
    }
  }
  return current
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Same length first: cheap, and case-insensitive equality of names implies it (as in .NET's OrdinalIgnoreCase). */
function findNameIgnoringCase (obj: Record<string, unknown>, lowerName: string): string | undefined {
  return Object.keys(obj).find(name => name.length === lowerName.length && name.toLowerCase() === lowerName)
}
