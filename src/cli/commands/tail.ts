/**
 * `eventgrid-emulator tail [--topic T] [--subscription S] [--event-type E] [--outcome O,..] [--json] [--max N]
 *  [--url URL]` — follows GET /admin/stream and prints one line per publish and per delivery decision.
 */
import { parseArgs } from 'node:util'
import { request } from 'undici'
import { apiMessage, baseUrl, connectionHint, decisionLine } from '../admin-client.js'
import type { Command } from '../io.js'
import { numberOption } from '../options.js'

export const TAIL_USAGE = `Usage: eventgrid-emulator tail [options]

Follows a running emulator and prints one line per publish and per delivery decision (time, topic, event type,
subject, subscription, outcome, status, duration, attempt; the reason for anything not delivered).

Options:
  --topic T           only this topic
  --subscription S    only decisions of this subscription
  --event-type E      only this event type
  --outcome O[,O...]  only these outcomes: Published, Delivered, Failed, DeadLettered, Dropped, NotMatched, Waiting
  --json              print each message as one JSON object per line
  --max N             stop after N messages
  --url URL           emulator base URL (default http://127.0.0.1:4000, or EVENTGRID_EMULATOR_URL)
  -h, --help          show this help
`

export const tail: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(TAIL_USAGE); return 0 }
  let values
  let max: number | undefined
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { topic: { type: 'string' }, subscription: { type: 'string' }, 'event-type': { type: 'string' }, outcome: { type: 'string' }, json: { type: 'boolean' }, max: { type: 'string' }, url: { type: 'string' } }
    }))
    max = values.max === undefined ? undefined : numberOption('--max', values.max, { integer: true, min: 1 })
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${TAIL_USAGE}`)
    return 2
  }
  const url = baseUrl(values.url, io.env)
  const query = new URLSearchParams()
  if (values.topic !== undefined) query.set('topic', values.topic)
  if (values.subscription !== undefined) query.set('subscription', values.subscription)
  if (values['event-type'] !== undefined) query.set('eventType', values['event-type'])
  if (values.outcome !== undefined) query.set('outcome', values.outcome)
  const controller = new AbortController()
  let res
  try {
    res = await request(`${url}/admin/stream${query.size > 0 ? `?${query.toString()}` : ''}`, { signal: controller.signal, bodyTimeout: 0 })
  } catch (err) {
    io.stderr(`tail failed: ${connectionHint(url, err)}\n`)
    return 1
  }
  if (res.statusCode !== 200) {
    io.stderr(`tail failed: HTTP ${res.statusCode}: ${apiMessage(await res.body.text())}\n`)
    return res.statusCode === 400 ? 2 : 1
  }
  let seen = 0
  let buffer = ''
  try {
    for await (const chunk of res.body) {
      buffer += (chunk as Buffer).toString('utf8')
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
        if (data === '') continue
        io.stdout(values.json === true ? `${data}\n` : `${decisionLine(JSON.parse(data) as Record<string, unknown>)}\n`)
        if (max !== undefined && ++seen >= max) { controller.abort(); return 0 }
      }
    }
  } catch (err) {
    if (controller.signal.aborted) return 0
    io.stderr(`tail: the stream ended: ${(err as Error).message}\n`)
    return 1
  }
  // The emulator closed the stream (it shut down).
  io.stderr('tail: the emulator closed the stream\n')
  return 0
}
