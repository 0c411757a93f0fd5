/**
 * `eventgrid-emulator filter test --filter FILE --event FILE [--schema SCHEMA]`: shows whether a
 * subscription filter matches sample events and which clause decided, without running the emulator.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { isPlainObject } from '../../domain/events.js'
import { compileFilter, normalizeFilter, validateFilter, type CompiledFilter, type FilterSchema } from '../../domain/filter/index.js'
import { formatPath } from '../../domain/problems.js'
import type { CliIo, Command } from '../io.js'
import { EmulatorError } from '../../errors.js'

export const FILTER_TEST_USAGE = `Usage: eventgrid-emulator filter test --filter FILE --event FILE [--schema SCHEMA]

Shows whether a subscription filter matches sample events, and which clause decided.

Options:
  --filter FILE    YAML or JSON: a filter object, or a subscription body with a 'filter:' key
  --event FILE     YAML or JSON: one event or an array of events
  --schema SCHEMA  EventGridSchema or CloudEventSchemaV1_0; by default CloudEvents when the
                   event has 'specversion', else EventGridSchema
  -h, --help       show this help

Exit code: 0 when every event matches, 1 when any does not, 2 on bad input or an invalid filter.
`

const SCHEMAS: readonly FilterSchema[] = ['EventGridSchema', 'CloudEventSchemaV1_0']

/** Bad input: printed to stderr, exit code 2. */
class InputError extends EmulatorError {
  constructor (message: string) { super('BadRequest', 400, 'InvalidInput', message); this.name = 'InputError' }
}

export const filterTest: Command = async (argv, io) => {
  try {
    return await run(argv, io)
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    io.stderr(err.message)
    return 2
  }
}

async function run (argv: string[], io: CliIo): Promise<number> {
  const options = parseOptions(argv)
  if (options === 'help') { io.stdout(FILTER_TEST_USAGE); return 0 }

  const { filter, pathPrefix } = locateFilter(await readDocument(options.filterFile))
  const problems = validateFilter(filter)
  if (problems.length > 0) {
    const lines = problems.map(p => {
      const path = formatPath([...pathPrefix, ...p.path])
      return `${options.filterFile}: ${path === '' ? '' : `${path}: `}${p.message}\n`
    })
    throw new InputError(`${lines.join('')}${problems.length} problem${problems.length === 1 ? '' : 's'} in the filter.\n`)
  }

  const canonical = normalizeFilter(filter)
  const document = await readDocument(options.eventFile)
  const events = Array.isArray(document) ? document : [document]
  if (events.length === 0) throw new InputError(`${options.eventFile}: no events to test (the array is empty)\n`)
  const label = (i: number): string => Array.isArray(document) ? `event[${i}]` : 'event'
  // checked up front so that a bad event does not leave half the verdicts printed
  const bad = events.findIndex(event => !isPlainObject(event))
  if (bad >= 0) throw new InputError(`${options.eventFile}: ${label(bad)} must be an object, got ${JSON.stringify(events[bad])}\n`)

  // compile once per schema: a file may mix Event Grid events and CloudEvents
  const compiled = new Map<FilterSchema, CompiledFilter>()
  let allMatched = true
  events.filter(isPlainObject).forEach((event, i) => {
    const schema = options.schema ?? ('specversion' in event ? 'CloudEventSchemaV1_0' : 'EventGridSchema')
    const filterFor = compiled.get(schema) ?? compileFilter(canonical, schema)
    compiled.set(schema, filterFor)
    const verdict = filterFor.explain(event)
    allMatched &&= verdict.matched
    const id = typeof event.id === 'string' ? ` (id ${event.id})` : ''
    io.stdout(`${(verdict.matched ? 'MATCH' : 'NO MATCH').padEnd(8)} ${label(i)}${id}: ${verdict.reason}\n`)
  })
  return allMatched ? 0 : 1
}

interface Options {
  filterFile: string
  eventFile: string
  schema?: FilterSchema
}

function parseOptions (argv: string[]): Options | 'help' {
  let values
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        filter: { type: 'string' },
        event: { type: 'string' },
        schema: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    }))
  } catch (err) {
    throw new InputError(`${(err as Error).message}\n\n${FILTER_TEST_USAGE}`)
  }
  if (values.help === true) return 'help'
  if (values.filter === undefined || values.event === undefined) {
    throw new InputError(`--filter and --event are both required.\n\n${FILTER_TEST_USAGE}`)
  }
  const schema = values.schema
  if (schema !== undefined && !SCHEMAS.includes(schema as FilterSchema)) {
    throw new InputError(`--schema must be one of ${SCHEMAS.join(', ')}, got '${schema}'\n`)
  }
  return { filterFile: values.filter, eventFile: values.event, schema: schema as FilterSchema | undefined }
}

/** YAML or JSON (YAML parses JSON too). */
async function readDocument (file: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new InputError(`${file}: cannot read: ${(err as Error).message}\n`)
  }
  try {
    return parseYaml(text)
  } catch (err) {
    throw new InputError(`${file}: not valid YAML or JSON: ${(err as Error).message}\n`)
  }
}

/**
 * The filter is either the whole document or the `filter` of a subscription body (`filter:` at the top,
 * or ARM's `properties.filter`). The prefix makes problem paths point into the file as written.
 */
function locateFilter (document: unknown): { filter: unknown, pathPrefix: string[] } {
  if (isPlainObject(document) && 'filter' in document) return { filter: document.filter, pathPrefix: ['filter'] }
  if (isPlainObject(document) && isPlainObject(document.properties) && 'filter' in document.properties) {
    return { filter: document.properties.filter, pathPrefix: ['properties', 'filter'] }
  }
  return { filter: document, pathPrefix: [] }
}
