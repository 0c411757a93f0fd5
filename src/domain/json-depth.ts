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
 * stack, so a 400,000-deep value is measured, not a stack overflow. Stops as soon as `limit` is passed.
 */
export function valueDepthExceeds (value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ v: unknown, d: number }> = [{ v: value, d: 0 }]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const { v, d } = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d + 1 > limit) return true
    if (seen.has(v)) continue
    seen.add(v)
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 })
  }
  return false
}
