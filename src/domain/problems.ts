/**
 * A validation problem found in user input (config, subscription body, filter, override).
 * `path` is the JSON path inside the document that was checked, so the config loader can turn it into
 * `file:line:col`; `message` names the value received and what is allowed.
 */
export interface Problem {
  path: ReadonlyArray<string | number>
  message: string
}

/** Formats a JSON path the way users write it in YAML/JSON: `topics.acs.subscriptions.bot.filter.advancedFilters[0]`. */
export function formatPath (path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? part : `.${part}`
  }
  return out
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance (a: string, b: string): number {
  const prev = new Array<number>(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]!
}

/** The closest candidate (case-insensitive) if it is close enough to be a plausible typo. */
export function suggest (input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase()
  let best: string | undefined
  let bestScore = Infinity
  for (const c of candidates) {
    const score = editDistance(lower, c.toLowerCase())
    if (score < bestScore) { best = c; bestScore = score }
  }
  if (best === undefined) return undefined
  const limit = Math.max(2, Math.floor(best.length / 3))
  return bestScore <= limit ? best : undefined
}

/** " Did you mean 'x'?" or "" */
export function didYouMean (input: string, candidates: Iterable<string>): string {
  const s = suggest(input, candidates)
  return s === undefined ? '' : ` Did you mean '${s}'?`
}
