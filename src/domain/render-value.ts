/**
 * The one way a received value is shown in a message: cut to a readable length, `undefined` named, and — per
 * message family — strings quoted or the JSON type named. Each family keeps its style, so messages stay as they
 * were documented.
 */

export interface RenderStyle {
  /** What `undefined` reads as ('missing', 'nothing', '(absent)'). */
  absent: string
  /** Longest text shown; a longer one keeps its first `keep` characters and ends with `ellipsis`. */
  max: number
  keep: number
  ellipsis?: '...' | '…'
  /** Strings in single quotes, so '200' and 200 look different (else strings are shown as JSON). */
  quoteStrings?: boolean
  /** The JSON type before the value: `string "x"`, `array [1]` (null stays `null`). */
  withKind?: boolean
}

export function cut (text: string, style: Pick<RenderStyle, 'max' | 'keep' | 'ellipsis'>): string {
  return text.length > style.max ? `${text.slice(0, style.keep)}${style.ellipsis ?? '...'}` : text
}

export function renderValue (value: unknown, style: RenderStyle): string {
  if (value === undefined) return style.absent
  if (style.quoteStrings === true && typeof value === 'string') return `'${cut(value, style)}'`
  const text = cut(JSON.stringify(value), style)
  if (style.withKind !== true || value === null) return text
  return `${Array.isArray(value) ? 'array' : typeof value} ${text}`
}
