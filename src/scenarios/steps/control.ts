/** Steps that change the run rather than observe it: `wait`, `set` (variables) and `sink` (scripted answers). */
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../duration.js'
import type { StepHandler } from '../step-handler.js'
import { duration, durationProblems, name, statuses } from './parts.js'

export interface WaitStep { kind: 'wait', ms: number }
export interface SetStep { kind: 'set', values: Record<string, unknown> }
export interface SinkStep { kind: 'sink', name: string, statuses: number[] }

export const waitStep: StepHandler<WaitStep> = {
  schema: duration,
  check: durationProblems,
  normalize: (b) => ({ kind: 'wait', ms: parseDuration(b)! }),
  title: (step, target) => `wait ${formatDuration(step.ms)}${target.timeScale !== 1 ? ` (×${target.timeScale} = ${formatDuration(step.ms * target.timeScale)})` : ''}`,
  run: async (step, ctx) => {
    await sleepChunked(step.ms * ctx.target.timeScale)
    return { ok: true }
  }
}

export const setStep: StepHandler<SetStep> = {
  schema: { type: 'object', minProperties: 1, propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
  defines: (b) => Object.keys(b),
  normalize: (b) => ({ kind: 'set', values: b }),
  title: (step) => `set ${Object.keys(step.values).join(', ')}`,
  run: async (step, ctx) => {
    Object.assign(ctx.captures.vars, step.values)
    return { ok: true }
  }
}

export const sinkStep: StepHandler<SinkStep> = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'statuses'],
    properties: { name, statuses }
  },
  normalize: (b) => ({ kind: 'sink', name: b.name, statuses: b.statuses }),
  title: (step) => `sink '${step.name}' answers ${step.statuses.join(', ')}`,
  run: async (step, ctx) => {
    await ctx.target.scriptSink(step.name, step.statuses)
    return { ok: true }
  }
}

/** Sleeps `ms` in timer-sized pieces: one setTimeout longer than 2^31 - 1 ms would fire after 1 ms. */
async function sleepChunked (ms: number): Promise<void> {
  let left = ms
  while (left > 0) {
    const piece = Math.min(left, MAX_DURATION_MS)
    await new Promise((resolve) => setTimeout(resolve, piece))
    left -= piece
  }
}
