/**
 * Literal text matching compiled to regular expressions. A RegExp scans natively and, with the `i` flag,
 * ignores case without allocating a lower-cased copy of the event value for every filter that reads it.
 * The `i` flag folds case by upper-casing single characters, as .NET's OrdinalIgnoreCase does.
 */

export type Anchor = 'contains' | 'beginsWith' | 'endsWith' | 'equals'

/** Matches when the text contains / begins with / ends with / equals any of `literals`. */
export function literalPattern (literals: readonly string[], anchor: Anchor, ignoreCase: boolean): RegExp {
  const alternatives = `(?:${literals.map(escape).join('|')})`
  const source = anchor === 'beginsWith'
    ? `^${alternatives}`
    : anchor === 'endsWith'
      ? `${alternatives}$`
      : anchor === 'equals'
        ? `^${alternatives}$`
        : alternatives
  return new RegExp(source, ignoreCase ? 'i' : '')
}

function escape (literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}
