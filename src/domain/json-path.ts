/**
 * The one reader of a value at a path in parsed JSON: config problems (ajv pointers), delivery attribute mappings
 * (`data.customer.id`), ACS sequence links and scenario matchers all walk objects the same way.
 */

export type JsonPath = ReadonlyArray<string | number>

export interface PathOptions {
  /** A segment that names no key matches one that differs only in case (delivery attribute mappings). */
  caseInsensitive?: boolean
  /** Arrays are not walked into (delivery attribute mappings name object keys only). */
  objectsOnly?: boolean
}

/** The value at `path` (a dotted string or segments), or undefined when some segment is missing. */
export function valueAt (root: unknown, path: JsonPath | string, options: PathOptions = {}): unknown {
  const segments = typeof path === 'string' ? path.split('.') : path
  let node: unknown = root
  for (const seg of segments) {
    if (node === null || typeof node !== 'object' || (options.objectsOnly === true && Array.isArray(node))) return undefined
    const obj = node as Record<string | number, unknown>
    if (options.caseInsensitive !== true || seg in obj) { node = obj[seg]; continue }
    const lower = String(seg).toLowerCase()
    const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
    if (key === undefined) return undefined
    node = obj[key]
  }
  return node
}
