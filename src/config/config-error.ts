/**
 * The error a config (or scenario) file with problems is reported by: every problem at once, as
 * `file:line:col message`. A module of its own so that code catching it (serve, reload) does not load the YAML
 * parser or the validators.
 */
import { EmulatorError } from '../errors.js'

export interface ConfigProblem { file: string, line: number, col: number, message: string }

export class ConfigError extends EmulatorError {
  readonly problems: ConfigProblem[]
  constructor (problems: ConfigProblem[]) {
    super('BadRequest', 400, 'InvalidConfig', problems.map(formatConfigProblem).join('\n'))
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export function formatConfigProblem (p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.col} ${p.message}`
}
