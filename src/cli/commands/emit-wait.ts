/**
 * `emit --wait`: after sending, waits until every subscription of the topic has decided about each event
 * (delivered, not matched, dead-lettered, dropped) or the wait ends, then prints where each event went and
 * why each subscription declined it.
 */
import type { DeliveryRecord } from '../../delivery/delivery-log.js'
import { clock, getJson } from '../admin-client.js'

const FINAL = new Set(['Delivered', 'NotMatched', 'DeadLettered', 'Dropped'])

export async function waitForRouting (url: string, topic: string, events: Array<{ id: string, eventType: string }>, timeoutMs: number, sleep = async (ms: number) => { await new Promise((resolve) => setTimeout(resolve, ms)) }): Promise<string> {
  const topics = await getJson<{ value: Array<{ name: string, subscriptions: Array<{ name: string }> }> }>(url, '/admin/topics')
  const subs = topics.value.find((t) => t.name === topic)?.subscriptions.map((s) => s.name) ?? []
  const deadline = Date.now() + timeoutMs
  let latest = new Map<string, Map<string, DeliveryRecord>>()
  for (;;) {
    latest = new Map()
    for (const e of events) {
      const { value } = await getJson<{ value: DeliveryRecord[] }>(url, `/admin/deliveries?topic=${encodeURIComponent(topic)}&eventId=${encodeURIComponent(e.id)}`)
      const bySub = new Map<string, DeliveryRecord>()
      // A final decision is kept over later non-final ones (a replay's Waiting would otherwise hide it).
      for (const r of value) if (!FINAL.has(bySub.get(r.subscription)?.outcome ?? '') || FINAL.has(r.outcome)) bySub.set(r.subscription, r)
      latest.set(e.id, bySub)
    }
    const done = events.every((e) => subs.every((s) => FINAL.has(latest.get(e.id)?.get(s)?.outcome ?? '')))
    if (done || Date.now() >= deadline) break
    await sleep(50)
  }
  const lines: string[] = []
  if (subs.length === 0) lines.push(`Topic '${topic}' has no subscriptions: the events went nowhere.`)
  for (const e of events) {
    lines.push(`${e.eventType} ${e.id}`)
    for (const s of subs) lines.push(`  ${describe(s, latest.get(e.id)?.get(s))}`)
  }
  return `${lines.join('\n')}\n`
}

function describe (sub: string, r: DeliveryRecord | undefined): string {
  if (r === undefined) return `… ${sub}: no decision yet`
  const facts = [r.status !== undefined ? `HTTP ${r.status}` : r.error, r.durationMs !== undefined ? `${r.durationMs} ms` : undefined, r.attempt !== undefined ? `attempt ${r.attempt}` : undefined].filter((x) => x !== undefined)
  const detail = facts.length > 0 ? ` (${facts.join(', ')})` : ''
  switch (r.outcome) {
    case 'Delivered': return `→ ${sub}: Delivered${detail}`
    case 'NotMatched': return `✗ ${sub}: not matched — ${r.reason ?? ''}`
    case 'Failed': return `… ${sub}: Failed${detail}${r.nextAttemptTime !== undefined ? `, next attempt at ${clock(r.nextAttemptTime)}` : ''} — ${r.reason ?? ''}`
    case 'Waiting': return `… ${sub}: Waiting — ${r.reason ?? ''}`
    default: return `✗ ${sub}: ${r.outcome}${detail} — ${r.reason ?? ''}`
  }
}
