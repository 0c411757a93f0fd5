/**
 * The `expectSent` step: the app under test sent an SMS, email or WhatsApp message through the emulated ACS
 * data plane (its outbox) matching the given fields, within a real-time bound. A passing step exposes the
 * outbox entry to `${steps.<id>.messageId}` and friends, so later steps can follow the report events.
 */
import type { OutboxEntry } from '../acs/messaging.js'
import { formatDuration } from './duration.js'
import type { ExpectContext, StepOutcome } from './expectations.js'
import { compileMatcher, describeMatcher, showValue, testMatcher, type Matcher } from './matchers.js'
import type { Step } from './types.js'

type ExpectSentStep = Extract<Step, { kind: 'expectSent' }>
interface SentCheck { label: string, matcher: Matcher, get: (e: OutboxEntry) => unknown }

export async function expectSent (step: ExpectSentStep, ctx: ExpectContext, topic: string): Promise<StepOutcome> {
  const checks: SentCheck[] = Object.entries(step.match).map(([key, value]) => ({
    label: key,
    matcher: compileMatcher(value),
    // `status` is the outcome the emulator chose (Delivered, Failed, Bounced…).
    get: (e) => key === 'status' ? e.outcome.status : (e as unknown as Record<string, unknown>)[key]
  }))
  if (step.channel !== undefined) checks.unshift({ label: 'channel', matcher: { kind: 'exact', value: step.channel }, get: (e) => e.channel })
  const want = step.count ?? 1
  let seen: OutboxEntry[] = []
  let matched: OutboxEntry[] = []
  const deadline = performance.now() + step.withinMs
  for (;;) {
    seen = await ctx.target.outbox(topic)
    matched = seen.filter((e) => checks.every((c) => testMatcher(c.matcher, c.get(e))))
    if (matched.length >= want || performance.now() >= deadline) break
    await new Promise((resolve) => setTimeout(resolve, Math.min(ctx.target.pollMs, Math.max(0, deadline - performance.now()))))
  }
  const ok = step.count === undefined ? matched.length >= 1 : matched.length === want
  if (ok) return { ok, events: matched.map((e) => ({ ...e, id: e.messageId })) }
  const where = `the outbox of ACS topic '${topic}'`
  const others = seen.filter((e) => !matched.includes(e)).slice(-5)
  return {
    ok,
    message: matched.length === 0 ? `the app sent no matching message within ${formatDuration(step.withinMs)}` : `expected ${want} matching messages in ${where}, got ${matched.length}`,
    expected: [`${want} ${want === 1 ? 'message' : 'messages'} in ${where}${checks.length > 0 ? ', where' : ''}`, ...checks.map((c) => `  ${c.label} ${describeMatcher(c.matcher)}`)],
    actual: seen.length === 0
      ? [`nothing in ${where}: did the app call the emulator with this topic's connection string (GET /admin/acs)?`]
      : [`${seen.length} sent, ${matched.length} matching${others.length > 0 ? '; the last others' : ''}:`, ...others.flatMap((e) => [
          `  ${e.channel} ${e.messageId} to ${e.to}`,
          ...checks.filter((c) => !testMatcher(c.matcher, c.get(e))).map((c) => `    ${c.label}: expected ${describeMatcher(c.matcher)}, got ${showValue(c.get(e))}`)
        ])]
  }
}
