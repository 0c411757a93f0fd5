/**
 * The part every YAML file of ours shares (config and scenarios): read it, parse it with positions, expand
 * `${VAR}`, and turn JSON-path problems into `file:line:col` ones — all problems at once.
 */
import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument, visit } from 'yaml'
import { formatPath, type Problem } from '../domain/problems.js'
import { expandEnv } from './env-expand.js'
import { locate, type Position } from './locate.js'

export interface ConfigProblem { file: string, line: number, col: number, message: string }

export class ConfigError extends Error {
  readonly problems: ConfigProblem[]
  constructor (problems: ConfigProblem[]) {
    super(problems.map(formatConfigProblem).join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export function formatConfigProblem (p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.message}`
}

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
}

/** Parses YAML with a line counter and expands environment variables; syntax errors throw at once. */
export function parseYamlSource (text: string, file: string, env: Record<string, string | undefined>): YamlSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const syntax = doc.errors.map((e) => ({ file, ...lineCounter.linePos(e.pos[0]), message: e.message.split('\n')[0]! }))
  if (syntax.length > 0) throw new ConfigError(syntax)
  const problems = expandEnv(doc, env).map((u) => ({
    file, ...lineCounter.linePos(u.offset), message: `environment variable '${u.name}' is not set and has no default (write \${${u.name}:-default})`
  }))
  const position = (path: ReadonlyArray<string | number>, atKey = false): Position & { file: string } => ({ file, ...locate(doc, lineCounter, path, atKey) })
  const place = (p: Problem): ConfigProblem => {
    const atKey = p.message.startsWith('unknown') || p.message.startsWith('name ')
    return { ...position(p.path, atKey), message: `${formatPath(p.path) || '(root)'}: ${p.message}` }
  }
  return { raw: toPlainData(doc, file, lineCounter) ?? {}, problems, position, place }
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
