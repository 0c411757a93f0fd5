/**
 * The part every YAML file of ours shares (config and scenarios): read it, parse it with positions, expand
 * `${VAR}`, and turn JSON-path problems into `file:line:col` ones — all problems at once.
 */
import { readFile } from 'node:fs/promises'
import { LineCounter, parseDocument } from 'yaml'
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
  return { raw: doc.toJS() ?? {}, problems, position, place }
}

/** Throws every collected problem, in file order, if there are any. */
export function throwIfProblems (problems: ConfigProblem[]): void {
  if (problems.length > 0) throw new ConfigError(problems.sort((a, b) => a.line - b.line || a.col - b.col))
}
