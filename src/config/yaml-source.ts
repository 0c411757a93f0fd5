/**
 * The part every YAML file of ours shares (config and scenarios): read it, parse it with positions, expand
 * `${VAR}`, and turn JSON-path problems into `file:line:col` ones — all problems at once.
 */
import { readFile } from 'node:fs/promises'
import type { ErrorObject } from 'ajv'
import { LineCounter, parseDocument, visit, type Document, type Scalar } from 'yaml'
import { formatPath, type Problem } from '../domain/problems.js'
import { pointerToPath } from './ajv-problems.js'
import { expandEnv } from './env-expand.js'
import { locate, type Position } from './locate.js'
import { ConfigError, type ConfigProblem } from './config-error.js'

export { ConfigError, formatConfigProblem, type ConfigProblem } from './config-error.js'

/** Reads a file, or throws a ConfigError naming it (`what` is e.g. "config file"). */
export async function readSource (file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError([{ file, line: 0, col: 0, message: `cannot read ${what}: ${(err as Error).message}` }])
  }
}

export interface YamlSource {
  /** The document as plain data, after `${VAR}` expansion. */
  raw: unknown
  /** Problems found so far (unset variables). */
  problems: ConfigProblem[]
  /** Where a JSON path is in the file; `atKey` points at the key instead of its value. */
  position: (path: ReadonlyArray<string | number>, atKey?: boolean) => Position & { file: string }
  /** Places a Problem in the file; "unknown key" and "name" problems point at the key. */
  place: (p: Problem) => ConfigProblem
  /**
   * Converts values written as a quoted `"${VAR}"` to the number or boolean the schema asks for (ajv `type`
   * errors), in `raw`; true when anything changed. Quoting is how `${VAR}` fits inside a `{ … }` flow map, so
   * `port: "${PORT}"` must mean the same as an unquoted `port: ${PORT}` in block style.
   */
  coerceFromEnv: (errors: ErrorObject[]) => boolean
}

/** Parses YAML with a line counter and expands environment variables; syntax errors throw at once. */
export function parseYamlSource (text: string, file: string, env: Record<string, string | undefined>): YamlSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  if (doc.errors.length > 0) throw new ConfigError(syntaxProblems(doc, lineCounter, file, text))
  const expansion = expandEnv(doc, env)
  const problems = expansion.unset.map((u) => ({
    file, ...lineCounter.linePos(u.offset), message: `environment variable '${u.name}' is not set and has no default (write \${${u.name}:-default})`
  }))
  const position = (path: ReadonlyArray<string | number>, atKey = false): Position & { file: string } => ({ file, ...locate(doc, lineCounter, path, atKey) })
  const place = (p: Problem): ConfigProblem => {
    const atKey = p.message.startsWith('unknown') || p.message.startsWith('name ')
    return { ...position(p.path, atKey), message: `${formatPath(p.path) || '(root)'}: ${p.message}` }
  }
  const raw: unknown = toPlainData(doc, file, lineCounter) ?? {}
  const coerceFromEnv = (errors: ErrorObject[]): boolean => {
    let changed = false
    for (const e of errors) {
      const wanted = (e.params as { type?: unknown }).type
      if (e.keyword !== 'type' || typeof wanted !== 'string') continue
      const path = pointerToPath(e.instancePath)
      const node = doc.getIn(path, true) as Scalar | undefined
      if (node === undefined || !expansion.quotedWhole.has(node) || typeof node.value !== 'string') continue
      const value = coerce(node.value, wanted)
      if (value === undefined) continue
      setIn(raw, path, value)
      changed = true
    }
    return changed
  }
  return { raw, problems, position, place, coerceFromEnv }
}

/**
 * YAML syntax errors. One mistake often cascades into dozens of follow-up errors, so only the first is
 * reported, with a hint for the usual cause: an unquoted `${VAR}` inside a `{ … }` or `[ … ]` flow collection,
 * whose braces end the collection early.
 */
function syntaxProblems (doc: Document, lineCounter: LineCounter, file: string, text: string): ConfigProblem[] {
  const first = doc.errors[0]!
  const pos = lineCounter.linePos(first.pos[0])
  const line = text.split('\n')[pos.line - 1] ?? ''
  const unquotedVar = /[{[][^"'\n]*\$\{/.test(line)
  const more = doc.errors.length - 1
  const message = first.message.split('\n')[0]! +
    (unquotedVar ? '. A ${VAR} inside { … } or [ … ] must be quoted: write "${VAR}" (numbers and booleans are still converted where the schema expects them), or use block style' : '') +
    (more > 0 ? ` (${more} further syntax error${more === 1 ? '' : 's'} follow from this one and are not listed)` : '')
  return [{ file, ...pos, message }]
}

function coerce (text: string, type: string): number | boolean | undefined {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : undefined
  if (type !== 'integer' && type !== 'number') return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n))) return undefined
  return n
}

function setIn (root: unknown, path: Array<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>
  node[path[path.length - 1]!] = value
}

/** Throws every collected problem, in file order, if there are any. */
export function throwIfProblems (problems: ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.line - b.line || a.col - b.col))
}

/**
 * The document as plain data. The yaml library refuses to expand aliases past a resource bound ("billion
 * laughs"), and a few other documents cannot be turned into data; those throw here, so they become a
 * `file:line:col` problem (at the first alias when there is one) instead of a stack trace.
 */
function toPlainData (doc: ReturnType<typeof parseDocument>, file: string, lineCounter: LineCounter): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (err) {
    const at = /alias/i.test((err as Error).message) ? firstAliasOffset(doc) : 0
    throw new ConfigError([{ file, ...lineCounter.linePos(at), message: `the document cannot be loaded: ${(err as Error).message.split('\n')[0]}` }])
  }
}

/** Aliases a document may expand to (the yaml library's default bound, stated here so it is documented). */
const MAX_ALIAS_COUNT = 100

function firstAliasOffset (doc: ReturnType<typeof parseDocument>): number {
  let offset = 0
  visit(doc, { Alias (_key, node) { offset = node.range?.[0] ?? 0; return visit.BREAK } })
  return offset
}
