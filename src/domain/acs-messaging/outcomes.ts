/**
 * What happens to a message after the app sent it: outcome rules (`acs.outcomes` in the config, or a scenario's
 * `acsOutcomes`) matched by recipient, and the report events each outcome produces, in order, with their delays.
 * Pure: delays are unscaled milliseconds; the caller applies delivery.timeScale and its clock.
 */
import type { Problem } from '../problems.js'

export type Channel = 'sms' | 'email' | 'whatsapp'
export const CHANNELS: readonly Channel[] = ['sms', 'email', 'whatsapp']

export interface OutcomeRule {
  /** Recipient pattern: `*` any characters, `?` one; case-insensitive; compared with the address as sent. */
  to: string
  channel?: Channel
  status: string
  /** SMS deliveryStatusDetails, email deliveryStatusDetails.statusMessage, WhatsApp error.channelMessage. */
  details?: string
  /** Before the (first) report: `500ms`, `2s`, or milliseconds. */
  delay?: string | number
  /** Email only: engagement events after a Delivered report. */
  engagement?: Array<'view' | 'click'>
}

/** Report statuses per channel (the values the catalog allows for the report event's status field). */
export const STATUSES: Record<Channel, readonly string[]> = {
  sms: ['Delivered', 'Failed'],
  email: ['Delivered', 'Bounced', 'Failed', 'FilteredSpam', 'Quarantined', 'Suppressed'],
  // Read = sent → delivered → read; Delivered = sent → delivered; Sent stops there; Failed = one Failed update.
  whatsapp: ['Read', 'Delivered', 'Sent', 'Failed']
}

/** The documented default: delivered (WhatsApp: read) one second after the send, before time scaling. */
export const DEFAULT_DELAY_MS = 1000
/** Between WhatsApp's successive status updates. */
export const STATUS_STEP_MS = 1000

const DEFAULT_DETAILS: Record<Channel, Record<string, string>> = {
  sms: { Delivered: 'No error.', Failed: 'Message failed to deliver: the carrier rejected it.' },
  email: {
    Delivered: 'No error.',
    Bounced: 'The recipient address does not exist (550 5.1.1 user unknown).',
    Failed: 'The message could not be delivered.',
    FilteredSpam: 'The message was identified as spam.',
    Quarantined: 'The message was quarantined by the recipient\'s mail server.',
    Suppressed: 'The recipient is on the suppression list.'
  },
  whatsapp: { Failed: 'Message undeliverable.' }
}

export interface Outcome { status: string, details: string, delayMs: number, engagement: Array<'view' | 'click'>, rule?: number }

/** The first matching rule's outcome (rules from a scenario override come first), or the default. */
export function outcomeFor (channel: Channel, recipient: string, rules: readonly OutcomeRule[]): Outcome {
  const index = rules.findIndex((r) => (r.channel === undefined || r.channel === channel) && globMatches(r.to, recipient))
  const rule = index === -1 ? undefined : rules[index]!
  const status = rule?.status ?? (channel === 'whatsapp' ? 'Read' : 'Delivered')
  return {
    status,
    details: rule?.details ?? DEFAULT_DETAILS[channel][status] ?? '',
    delayMs: rule?.delay !== undefined ? parseDelay(rule.delay) ?? DEFAULT_DELAY_MS : DEFAULT_DELAY_MS,
    engagement: channel === 'email' && status === 'Delivered' ? rule?.engagement ?? [] : [],
    ...(index === -1 ? {} : { rule: index })
  }
}

export function globMatches (pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 'i').test(value)
}

export function parseDelay (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(value)
  return m === null ? undefined : Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm']
}

/** Rules a JSON Schema cannot check: statuses valid for the channel, delays, engagement on email only. */
export function outcomeRuleProblems (rules: readonly OutcomeRule[]): Problem[] {
  const problems: Problem[] = []
  rules.forEach((rule, i) => {
    const allowed = rule.channel !== undefined ? STATUSES[rule.channel] : STATUSES.sms.filter((s) => STATUSES.email.includes(s) && STATUSES.whatsapp.includes(s))
    if (!allowed.includes(rule.status)) {
      const scope = rule.channel !== undefined ? `channel ${rule.channel}` : 'a rule without channel (it applies to sms, email and whatsapp)'
      problems.push({ path: [i, 'status'], message: `status '${rule.status}' is not valid for ${scope}; allowed: ${allowed.join(', ')}` })
    }
    if (rule.delay !== undefined && parseDelay(rule.delay) === undefined) {
      problems.push({ path: [i, 'delay'], message: `delay ${JSON.stringify(rule.delay)} is not a duration; use e.g. 500ms, 2s, 1m or a number of milliseconds` })
    }
    if (rule.engagement !== undefined && rule.channel !== 'email') {
      problems.push({ path: [i, 'engagement'], message: 'engagement events exist for email only: add \'channel: email\' to this rule' })
    }
  })
  return problems
}

/** JSON Schema of one rule (config and scenarios share it). */
export const outcomeRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to', 'status'],
  properties: {
    to: { type: 'string', minLength: 1 },
    channel: { enum: CHANNELS },
    status: { type: 'string', minLength: 1 },
    details: { type: 'string' },
    delay: { type: ['string', 'number'] },
    engagement: { type: 'array', minItems: 1, items: { enum: ['view', 'click'] } }
  }
} as const
