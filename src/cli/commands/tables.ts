/**
 * `subscriptions`, `deliveries` and `dead-letters`: what a running emulator knows, as tables (or --json).
 */
import { parseArgs } from 'node:util'
import type { DeliveryRecord } from '../../delivery/delivery-log.js'
import { baseUrl, clock, getJson, table } from '../admin-client.js'
import type { Command, CliIo } from '../io.js'
import { numberOption } from '../options.js'

const URL_LINE = '  --url URL           emulator base URL (default http://127.0.0.1:4000, or EVENTGRID_EMULATOR_URL)\n'

export const SUBSCRIPTIONS_USAGE = `Usage: eventgrid-emulator subscriptions [--topic T] [--json] [--url URL]

Lists every subscription with its state, endpoint and how many events were delivered, failed, dead-lettered,
dropped, not matched or are waiting; a reason follows for any subscription that is not Succeeded.

Options:
  --topic T           only this topic
  --json              print GET /admin/stats subscriptions as JSON
${URL_LINE}  -h, --help          show this help
`

export const DELIVERIES_USAGE = `Usage: eventgrid-emulator deliveries [options]

Lists the delivery log, oldest first: every attempt and decision (Delivered, Failed, DeadLettered, Dropped,
NotMatched, Waiting) with the event type, subject, status, duration and reason.

Options:
  --topic T           only this topic
  --subscription S    only this subscription
  --event-id ID       only this event
  --status X          an HTTP status (500) or an outcome (DeadLettered)
  --limit N           the last N records (default 50)
  --json              print the records as JSON
${URL_LINE}  -h, --help          show this help
`

export const DEAD_LETTERS_USAGE = `Usage: eventgrid-emulator dead-letters [--topic T] [--subscription S] [--json] [--url URL]

Lists the dead-letter files written by this emulator run, with reason, event ids and path.

Options:
  --topic T           only this topic
  --subscription S    only this subscription
  --json              print GET /admin/dead-letters as JSON
${URL_LINE}  -h, --help          show this help
`

type Values = Record<string, string | boolean | undefined>

/** Shared shell: help, strict options, URL, and errors as exit codes (2 usage, 1 failure). */
function command (usage: string, options: Record<string, { type: 'string' | 'boolean' }>, run: (values: Values, url: string, io: CliIo) => Promise<void>): Command {
  return async (argv, io) => {
    if (argv.includes('--help') || argv.includes('-h')) { io.stdout(usage); return 0 }
    let values: Values
    try {
      values = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...options, json: { type: 'boolean' }, url: { type: 'string' } } }).values as Values
    } catch (err) {
      io.stderr(`${(err as Error).message}\n\n${usage}`)
      return 2
    }
    const url = baseUrl(values.url as string | undefined, io.env)
    try {
      await run(values, url, io)
      return 0
    } catch (err) {
      const usageProblem = (err as { name?: string }).name === 'UsageError'
      io.stderr(`${usageProblem ? '' : 'failed: '}${(err as Error).message}\n`)
      return usageProblem ? 2 : 1
    }
  }
}

interface StatsSub {
  topic: string
  name: string
  provisioningState: string
  provisioningStateReason?: string
  pendingEvents: number
  counts: Record<string, number | undefined>
}

export const subscriptions = command(SUBSCRIPTIONS_USAGE, { topic: { type: 'string' } }, async (values, url, io) => {
  const stats = await getJson<{ subscriptions: StatsSub[] }>(url, '/admin/stats')
  const subs = stats.subscriptions.filter((s) => values.topic === undefined || s.topic === values.topic)
  if (values.json === true) { io.stdout(`${JSON.stringify(subs, null, 2)}\n`); return }
  if (subs.length === 0) { io.stdout(values.topic === undefined ? 'No subscriptions.\n' : `No subscriptions on topic '${String(values.topic)}'.\n`); return }
  const endpoints = new Map<string, string>()
  for (const topic of new Set(subs.map((s) => s.topic))) {
    const list = await getJson<{ value: Array<{ name: string, properties: { destination: { endpointType: string, properties: { endpointBaseUrl?: string, endpointUrl?: string } } } }> }>(url, `/admin/topics/${encodeURIComponent(topic)}/subscriptions`)
    for (const s of list.value) endpoints.set(`${topic}/${s.name}`, s.properties.destination.properties.endpointBaseUrl ?? s.properties.destination.properties.endpointUrl ?? s.properties.destination.endpointType)
  }
  const n = (s: StatsSub, k: string): string => String(s.counts[k] ?? 0)
  const rows = [['TOPIC', 'SUBSCRIPTION', 'STATE', 'DELIVERED', 'FAILED', 'DEADLETTERED', 'DROPPED', 'NOTMATCHED', 'WAITING', 'ENDPOINT']]
  for (const s of subs) rows.push([s.topic, s.name, s.provisioningState, n(s, 'Delivered'), n(s, 'Failed'), n(s, 'DeadLettered'), n(s, 'Dropped'), n(s, 'NotMatched'), String(s.pendingEvents), endpoints.get(`${s.topic}/${s.name}`) ?? ''])
  io.stdout(table(rows))
  for (const s of subs) if (s.provisioningStateReason !== undefined) io.stdout(`\n${s.topic}/${s.name} is ${s.provisioningState}: ${s.provisioningStateReason}\n`)
})

export const deliveries = command(DELIVERIES_USAGE, { topic: { type: 'string' }, subscription: { type: 'string' }, 'event-id': { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } }, async (values, url, io) => {
  const query = new URLSearchParams()
  if (values.topic !== undefined) query.set('topic', String(values.topic))
  if (values.subscription !== undefined) query.set('subscription', String(values.subscription))
  if (values['event-id'] !== undefined) query.set('eventId', String(values['event-id']))
  if (values.status !== undefined) query.set('status', String(values.status))
  query.set('limit', String(values.limit === undefined ? 50 : numberOption('--limit', String(values.limit), { integer: true, min: 1 })))
  const { value } = await getJson<{ value: DeliveryRecord[] }>(url, `/admin/deliveries?${query.toString()}`)
  if (values.json === true) { io.stdout(`${JSON.stringify(value, null, 2)}\n`); return }
  if (value.length === 0) { io.stdout('No delivery records match.\n'); return }
  const rows = [['TIME', 'TOPIC', 'SUBSCRIPTION', 'EVENT', 'TYPE', 'OUTCOME', 'STATUS', 'MS', 'ATTEMPT', 'REASON']]
  for (const r of value) {
    rows.push([clock(r.time), r.topic, r.subscription, r.eventIds.length === 1 ? r.eventIds[0]! : `${r.eventIds.length} events`, r.eventType ?? '', r.outcome,
      r.status !== undefined ? String(r.status) : r.error ?? '', r.durationMs !== undefined ? String(r.durationMs) : '', r.attempt !== undefined ? String(r.attempt) : '',
      r.nextAttemptTime !== undefined ? `${r.reason ?? ''}; retry at ${clock(r.nextAttemptTime)}` : r.reason ?? ''])
  }
  io.stdout(table(rows))
})

export const deadLetters = command(DEAD_LETTERS_USAGE, { topic: { type: 'string' }, subscription: { type: 'string' } }, async (values, url, io) => {
  const query = new URLSearchParams()
  if (values.topic !== undefined) query.set('topic', String(values.topic))
  if (values.subscription !== undefined) query.set('subscription', String(values.subscription))
  const body = await getJson<{ directory: string, value: Array<{ time: string, topic: string, subscription: string, reason: string, eventIds: string[], path: string }> }>(url, `/admin/dead-letters${query.size > 0 ? `?${query.toString()}` : ''}`)
  if (values.json === true) { io.stdout(`${JSON.stringify(body, null, 2)}\n`); return }
  if (body.value.length === 0) { io.stdout(`No dead letters (directory ${body.directory}).\n`); return }
  const rows = [['TIME', 'TOPIC', 'SUBSCRIPTION', 'REASON', 'EVENTS', 'FILE']]
  for (const d of body.value) rows.push([d.time, d.topic, d.subscription, d.reason, d.eventIds.join(','), d.path])
  io.stdout(table(rows))
  io.stdout(`\nFiles are under ${body.directory}\n`)
})
