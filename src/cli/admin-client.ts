/**
 * What the observing commands (tail, subscriptions, deliveries, dead-letters, emit --wait) need from a running
 * emulator's admin API, and how their output is laid out.
 */
import { request } from 'undici'
import { remoteRequestFailed, remoteUnreachable } from '../errors.js'

export const DEFAULT_URL = 'http://127.0.0.1:4000'

export function baseUrl (flag: string | undefined, env: Record<string, string | undefined>): string {
  return (flag ?? env.EVENTGRID_EMULATOR_URL ?? DEFAULT_URL).replace(/\/$/, '')
}

/** GET a JSON document; errors name the URL, the API's message, and the likely fix for a refused connection. */
export async function getJson<T> (url: string, path: string): Promise<T> {
  let res
  try {
    res = await request(`${url}${path}`)
  } catch (err) {
    throw remoteUnreachable(connectionHint(url, err))
  }
  const text = await res.body.text()
  if (res.statusCode !== 200) throw remoteRequestFailed(`GET ${path}: HTTP ${res.statusCode}: ${apiMessage(text)}`)
  return JSON.parse(text) as T
}

export function connectionHint (url: string, err: unknown): string {
  const e = err as { message?: string, code?: string }
  return `${e.message ?? String(err)}${e.code === 'ECONNREFUSED' ? ` (is the emulator running at ${url}? start it with 'eventgrid-emulator serve')` : ''}`
}

export function apiMessage (text: string): string {
  try { return (JSON.parse(text) as { error: { message: string } }).error.message } catch { return text }
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table (rows: string[][]): string {
  if (rows.length === 0) return ''
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)))
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ').trimEnd()).join('\n') + '\n'
}

/** HH:MM:SS.mmm of an ISO time. */
export function clock (iso: string | undefined): string {
  return iso === undefined ? '' : iso.slice(11, 23)
}

/** One readable line per stream message (tail) or delivery record. */
export function decisionLine (m: Record<string, unknown>): string {
  const time = clock(m.time as string | undefined)
  const subject = m.subject === undefined ? '' : ` ${String(m.subject)}`
  if (m.kind === 'publish') return `${time}  ${String(m.topic)}  ${String(m.eventType)}${subject}  published  id=${String(m.eventId)}`
  if (m.kind === 'dropped') return `${time}  (stream) ${String(m.count)} messages dropped: ${String(m.reason)}`
  const ids = m.eventIds as string[] | undefined
  const parts = [`${time}  ${String(m.topic)}  ${String(m.eventType ?? '?')}${subject}  → ${String(m.subscription)}  ${String(m.outcome)}`]
  if (m.status !== undefined) parts.push(`HTTP ${String(m.status)}`)
  else if (m.error !== undefined) parts.push(String(m.error))
  if (m.durationMs !== undefined) parts.push(`${String(m.durationMs)} ms`)
  if (m.attempt !== undefined) parts.push(`attempt ${String(m.attempt)}`)
  if (ids !== undefined && ids.length > 1) parts.push(`${ids.length} events`)
  else if (ids !== undefined && ids.length === 1) parts.push(`id=${ids[0]!}`)
  if (m.nextAttemptTime !== undefined) parts.push(`retry at ${clock(m.nextAttemptTime as string)}`)
  if (m.reason !== undefined && m.outcome !== 'Delivered') parts.push(`— ${String(m.reason)}`)
  return parts.join('  ')
}
