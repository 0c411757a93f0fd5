/** Durations in scenario files: `250ms`, `2s`, `1.5m`, `1h`, or a plain number of milliseconds. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds, or undefined when `value` is not a duration. */
export function parseDuration (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value)
  return m === null ? undefined : Number(m[1]) * UNIT_MS[m[2]!]!
}

export function formatDuration (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  return `${Number((ms / 1000).toFixed(2))}s`
}
