/**
 * The bound on JSON nesting, checked on the request text before it is parsed. A body of 4,100 nested arrays is
 * well under 1 MB, yet every recursive walk of it (serialising a delivery, sizing a batch, rendering a sink
 * listing) overflows the call stack; refusing it at the door keeps such values out of the emulator entirely.
 *
 * Event Grid documents no depth limit; its .NET JSON stack (System.Text.Json, Json.NET 13) defaults to a maximum
 * depth of 64, which is what we enforce.
 */
export const MAX_JSON_DEPTH = 64

/**
 * The deepest nesting in `text` and where it first went past `limit`, by one linear scan that needs no
 * recursion (so it is safe on any input). Invalid JSON is left for the parser to report.
 */
export function measureJsonDepth (text: string, limit = MAX_JSON_DEPTH): { depth: number, firstExceededAt?: number } {
  let depth = 0
  let max = 0
  let firstExceededAt: number | undefined
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) { // [ {
      depth++
      if (depth > max) max = depth
      if (depth > limit && firstExceededAt === undefined) firstExceededAt = i
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return firstExceededAt === undefined ? { depth: max } : { depth: max, firstExceededAt }
}

/**
 * The depth of an already-built value (events handed to the in-process API), without recursion: an explicit
 * stack, so a 400,000-deep value is measured, not a stack overflow. Stops as soon as `limit` is passed. A cyclic
 * value counts as too deep (it could not be serialised anyway). Two parallel arrays, not one object per node,
 * so checking a large batch leaves little garbage.
 */
export function valueDepthExceeds (value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const values: unknown[] = [value]
  const depths: number[] = [0]
  while (values.length > 0) {
    const v = values.pop()
    const d = depths.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d + 1 > limit) return true
    if (Array.isArray(v)) {
      for (const child of v) if (typeof child === 'object' && child !== null) { values.push(child); depths.push(d + 1) }
    } else {
      for (const key in v) {
        const child = (v as Record<string, unknown>)[key]
        if (typeof child === 'object' && child !== null && Object.hasOwn(v, key)) { values.push(child); depths.push(d + 1) }
      }
    }
  }
  return false
}
