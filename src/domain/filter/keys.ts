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
}

/** Split once at compile time, so matching never re-parses the key. */
export function parseKey(key: string): KeyPath {
  const segments = key.split('.')
  return { segments, lowerSegments: segments.map(s => s.toLowerCase()) }
}

/**
 * The value at `path`, or undefined when any segment is absent or a parent is not an object.
 * Arrays are not walked into (`data.items.a` on `items: [{a: 1}]` is missing): Event Grid cannot filter
 * on arrays of objects (§4.3).
 */
export function resolveKey(event: Record<string, unknown>, path: KeyPath): unknown {
  const { segments, lowerSegments } = path
  let current: unknown = event
  for (let i = 0; i < segments.length; i++) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    const obj = current as Record<string, unknown>
    const segment = segments[i]!
    // hasOwn, not `in`: a key named 'constructor' must not find Object.prototype.constructor
    current = Object.hasOwn(obj, segment) ? obj[segment] : findIgnoringCase(obj, lowerSegments[i]!)
  }
  return current
}

function findIgnoringCase(obj: Record<string, unknown>, lowerName: string): unknown {
  for (const name of Object.keys(obj)) {
    if (name.toLowerCase() === lowerName) return obj[name]
  }
  return undefined
}
