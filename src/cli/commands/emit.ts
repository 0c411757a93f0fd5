/**
 * `eventgrid-emulator emit <eventType|alias|sequence> [--topic NAME] [--set path=value]... [--data JSON|@file]
 *  [--count N] [--url URL]` — sends synthetic ACS events to a running emulator (POST /topics/{topic}/simulate)
 * and prints what was sent.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { request } from 'undici'
import { listAcsSequences } from '../../domain/acs/index.js'
import type { Command } from '../io.js'
import { numberOption, UsageError } from '../options.js'
import { waitForRouting } from './emit-wait.js'
import { remoteRequestFailed } from '../../errors.js'

export const EMIT_USAGE = `Usage: eventgrid-emulator emit <eventType | alias | sequence> [options]

Sends synthetic ACS events to a running emulator and prints the events as they were published.
Examples:
  eventgrid-emulator emit sms-received --set data.message="hi"
  eventgrid-emulator emit Microsoft.Communication.ChatMessageReceived --data @overrides.json --count 3
  eventgrid-emulator emit call-lifecycle

Options:
  --topic NAME        ACS system topic (default: the first ACS topic of the emulator)
  --set PATH=VALUE    override one field; PATH is data.a.b, subject, id or eventTime. VALUE is a string;
                      write PATH:=JSON for a number, boolean, object or array (--set data.segmentCount:=2)
  --data JSON|@FILE   data overrides as a JSON object (deep-merged), inline or from a file
  --count N           send N events (default 1)
  --url URL           emulator base URL (default http://127.0.0.1:4000, or EVENTGRID_EMULATOR_URL)
  --profile P         current (default) or 2020-preview (the 2020 preview payload shapes)
  --allow-unknown     accept override fields the event type does not have
  --wait              then wait until each subscription decided, and print where each event went
                      (delivered, not matched and why, dead-lettered, dropped, or still retrying)
  --wait-timeout S    how long --wait waits, in seconds (default 10)
  -h, --help          show this help

See 'eventgrid-emulator events' for every type, alias and sequence.
`

export const emit: Command = async (argv, io) => {
  if (argv.includes('--help') || argv.includes('-h')) { io.stdout(EMIT_USAGE); return 0 }
  let values: ReturnType<typeof parse>['values']
  let positionals: string[]
  try {
    ({ values, positionals } = parse(argv))
    if (positionals.length !== 1) throw new UsageError(`emit takes exactly one event type, alias or sequence, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`)
  } catch (err) {
    io.stderr(`${(err as Error).message}\n\n${EMIT_USAGE}`)
    return 2
  }
  const url = (values.url ?? io.env.EVENTGRID_EMULATOR_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '')
  try {
    const item = await buildItem(positionals[0]!, values)
    const count = values.count === undefined ? 1 : numberOption('--count', values.count, { integer: true, min: 1, max: 5000 })
    const topic = values.topic ?? await firstAcsTopic(url)
    const query = new URLSearchParams()
    if (values.profile !== undefined) query.set('profile', values.profile)
    if (values['allow-unknown'] === true) query.set('allowUnknown', 'true')
    const body = Array.from({ length: count }, () => item)
    const res = await request(`${url}/topics/${encodeURIComponent(topic)}/simulate${query.size > 0 ? `?${query.toString()}` : ''}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body)
    })
    const text = await res.body.text()
    if (res.statusCode !== 200) {
      const message = errorMessage(text)
      io.stderr(`emit failed: HTTP ${res.statusCode}: ${message}\n${typeHints(values.set ?? [], message)}`)
      return 1
    }
    const sent = (JSON.parse(text) as { events: Array<{ id: string, eventType: string }> }).events
    io.stdout(`${JSON.stringify(sent, null, 2)}\n`)
    if (values.wait === true) {
      const seconds = values['wait-timeout'] === undefined ? 10 : numberOption('--wait-timeout', values['wait-timeout'], { above: 0 })
      io.stdout(`\n${await waitForRouting(url, topic, sent, seconds * 1000)}`)
    }
    return 0
  } catch (err) {
    if (err instanceof UsageError) { io.stderr(`${err.message}\n`); return 2 }
    io.stderr(`emit failed: ${(err as Error).message}${(err as { code?: string }).code === 'ECONNREFUSED' ? ` (is the emulator running at ${url}? start it with 'eventgrid-emulator serve')` : ''}\n`)
    return 1
  }
}

function parse (argv: string[]): { values: { topic?: string, set?: string[], data?: string, count?: string, url?: string, profile?: string, 'allow-unknown'?: boolean, wait?: boolean, 'wait-timeout'?: string }, positionals: string[] } {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      topic: { type: 'string' },
      set: { type: 'string', multiple: true },
      data: { type: 'string' },
      count: { type: 'string' },
      url: { type: 'string' },
      profile: { type: 'string' },
      'allow-unknown': { type: 'boolean' },
      wait: { type: 'boolean' },
      'wait-timeout': { type: 'string' }
    }
  })
}

/** Builds one simulate item from the CLI overrides. */
export async function buildItem (name: string, values: { set?: string[], data?: string }): Promise<Record<string, unknown>> {
  const isSequence = !name.includes('.') && listAcsSequences().some((s) => s.name === name)
  const item: Record<string, unknown> = isSequence ? { sequence: name } : { eventType: name }
  let data: Record<string, unknown> = {}
  if (values.data !== undefined) {
    const text = values.data.startsWith('@') ? await readFile(values.data.slice(1), 'utf8') : values.data
    let parsed: unknown
    try { parsed = JSON.parse(text) } catch (err) { throw new UsageError(`--data is not valid JSON: ${(err as Error).message}`) }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('--data must be a JSON object (the data fields to override)')
    data = parsed as Record<string, unknown>
  }
  for (const assignment of values.set ?? []) {
    const { path, value } = parseAssignment(assignment)
    const [head, ...rest] = path
    if (head === 'data' && rest.length > 0) setPath(data, rest, value)
    else if (rest.length === 0 && (head === 'subject' || head === 'id' || head === 'eventTime')) item[head] = value
    else throw new UsageError(`--set ${assignment}: PATH must be data.<field>, subject, id or eventTime`)
  }
  if (Object.keys(data).length > 0) item.data = data
  return item
}

export function parseAssignment (assignment: string): { path: string[], value: unknown } {
  const json = /^([^=:]+):=(.*)$/s.exec(assignment)
  if (json !== null) {
    const path = checkedPath(assignment, json[1]!)
    try { return { path, value: JSON.parse(json[2]!) } } catch { throw new UsageError(`--set ${assignment}: the value after := must be JSON`) }
  }
  const eq = assignment.indexOf('=')
  if (eq <= 0) throw new UsageError(`--set ${assignment}: expected PATH=VALUE (or PATH:=JSON)`)
  return { path: checkedPath(assignment, assignment.slice(0, eq)), value: assignment.slice(eq + 1) }
}

/** Path segments that would reach Object.prototype (or a constructor) instead of a data field. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

function checkedPath (assignment: string, text: string): string[] {
  const path = text.split('.')
  const bad = path.find((seg) => FORBIDDEN_SEGMENTS.has(seg))
  if (bad !== undefined) throw new UsageError(`--set ${assignment}: '${bad}' cannot be a path segment (it would change every object, not a field of the event)`)
  return path
}

/**
 * `--set data.segmentCount=2` sends the string "2"; when the emulator refuses a field for being a string, say
 * how to send the JSON value instead.
 */
function typeHints (assignments: readonly string[], message: string): string {
  return assignments.flatMap((assignment) => {
    if (/^[^=:]+:=/.test(assignment)) return []
    const eq = assignment.indexOf('=')
    const path = assignment.slice(0, eq)
    const refused = message.split('\n').some((line) => line.includes(`'${path}' must be`) && /got (a )?string/.test(line))
    return refused ? [`hint: PATH=VALUE always sets a string; for a number, boolean, object or array write --set ${path}:=${assignment.slice(eq + 1)}\n`] : []
  }).join('')
}

function setPath (target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target
  for (const seg of path.slice(0, -1)) {
    // Own properties only: an inherited one (toString, hasOwnProperty…) is not a field to descend into.
    const next = Object.hasOwn(node, seg) ? node[seg] : undefined
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[seg] = {}
    node = node[seg] as Record<string, unknown>
  }
  node[path[path.length - 1]!] = value
}

async function firstAcsTopic (url: string): Promise<string> {
  const res = await request(`${url}/admin/topics`)
  const body = await res.body.json() as { value?: Array<{ name: string, topicType: string | null }> }
  const acs = body.value?.find((t) => t.topicType !== null)
  if (acs === undefined) throw remoteRequestFailed(`the emulator at ${url} has no ACS system topic; pass --topic`)
  return acs.name
}

function errorMessage (text: string): string {
  try { return (JSON.parse(text) as { error: { message: string } }).error.message } catch { return text }
}
