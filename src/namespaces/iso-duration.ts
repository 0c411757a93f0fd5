/**
 * ISO 8601 durations as ARM writes `eventTimeToLive` (P1D, PT10M, P1DT12H, PT30S). Years and months are
 * refused: their length in ms is ambiguous, and Azure caps TTL at 7 days anyway.
 */
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i

/** The duration in ms, or undefined when `text` is not a duration of weeks/days/hours/minutes/seconds. */
export function parseIsoDuration (text: string): number | undefined {
  const m = DURATION.exec(text)
  if (m === null || text === 'P' || /T$/i.test(text)) return undefined
  const [, w, d, h, min, s] = m
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v))
  return ((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000
}
