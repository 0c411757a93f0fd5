/** Durations in scenario files: `250ms`, `2s`, `1.5m`, `1h`, or a plain number of milliseconds. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * The longest duration a scenario may give: what one Node.js timer can hold (2^31 - 1 ms, about 24.8 days).
 * A longer `setTimeout` fires after 1 ms instead, so `wait: 999999h` would finish at once.
 */
export const MAX_DURATION_MS = 2_147_483_647

/** Milliseconds, or undefined when `value` is not a duration (or is longer than MAX_DURATION_MS). */
export function parseDuration (value: unknown): number | undefined {
  const ms = parseDurationUnbounded(value)
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined
}

/** Milliseconds without the timer bound, or undefined when `value` is not written as a duration. */
export function parseDurationUnbounded (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(value)
  return m === null ? undefined : Number(m[1]) * UNIT_MS[m[2]!]!
}

export function formatDuration (ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  return `${Number((ms / 1000).toFixed(2))}s`
}
