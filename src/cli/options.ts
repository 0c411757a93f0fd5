/** Small helpers for CLI option values, so every command rejects bad values the same way. */
import { EmulatorError } from '../errors.js'
export class UsageError extends EmulatorError {
  constructor (message: string) { super('BadRequest', 400, 'InvalidUsage', message); this.name = 'UsageError' }
}

export function numberOption (flag: string, raw: string, rule: { integer?: boolean, min?: number, max?: number, above?: number } = {}): number {
  const n = Number(raw)
  const ok = raw.trim() !== '' && Number.isFinite(n) && (rule.integer !== true || Number.isInteger(n)) &&
    (rule.min === undefined || n >= rule.min) && (rule.max === undefined || n <= rule.max) && (rule.above === undefined || n > rule.above)
  if (!ok) {
    const range = [rule.above !== undefined ? `> ${rule.above}` : '', rule.min !== undefined ? `>= ${rule.min}` : '', rule.max !== undefined ? `<= ${rule.max}` : ''].filter(Boolean).join(' and ')
    throw new UsageError(`${flag} must be ${rule.integer === true ? 'an integer' : 'a number'}${range !== '' ? ` ${range}` : ''}, got '${raw}'`)
  }
  return n
}
