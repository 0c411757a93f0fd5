/**
 * Scenario regexes run under a time budget. A pattern such as `^(a+)+$` backtracks exponentially on a value that
 * almost matches, and JavaScript's engine cannot be interrupted from inside the same script: it blocked a runner
 * 39 s past its `within`. Running the test in a vm context with `timeout` lets V8 cut it off; the step then fails
 * with a message that names the pattern.
 */
import { runInContext, createContext } from 'node:vm'
import { EmulatorError } from '../errors.js'

/** How long one regex test may take. Real matchers over event fields take microseconds. */
export const REGEX_BUDGET_MS = 100

const sandbox = createContext({ re: /(?:)/, text: '' })

export class RegexBudgetExceeded extends EmulatorError {
  constructor (re: RegExp, text: string, budgetMs: number) {
    super('UnprocessableEntity', 422, 'RegexBudgetExceeded', `regex ${String(re)} took longer than ${budgetMs} ms on a ${text.length}-character value (catastrophic backtracking); rewrite it without nested quantifiers such as (a+)+`)
    this.name = 'RegexBudgetExceeded'
  }
}

export function testWithBudget (re: RegExp, text: string, budgetMs = REGEX_BUDGET_MS): boolean {
  sandbox.re = re
  sandbox.text = text
  try {
    return runInContext('re.lastIndex = 0, re.test(text)', sandbox, { timeout: budgetMs }) as boolean
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new RegexBudgetExceeded(re, text, budgetMs)
    throw err
  } finally {
    sandbox.re = /(?:)/
    sandbox.text = ''
  }
}
