/**
 * The emulated ACS data plane's state: which key signs for which ACS topic, what the app sent (the outbox),
 * email operations, and the report events each send schedules on the emulator's clock (scaled by
 * delivery.timeScale) and publishes through the normal pipeline, so filters, retries and scenarios apply.
 */
import { randomUUID } from 'node:crypto'
import type { EmulatorConfig } from '../config/types.js'
import { generateAcsEvent } from '../domain/acs/index.js'
import { defaultAcsAccessKey, outcomeFor, reportSteps, type KeyOwner, type Outcome, type OutcomeRule, type SentMessage } from '../domain/acs-messaging/index.js'
import type { EventGridEvent } from '../domain/events.js'
import type { Clock, TimerHandle } from '../delivery/ports.js'

export interface OutboxEntry extends SentMessage {
  topic: string
  sentAt: string
  outcome: Outcome
  /** Pending until every report is published; NoReport when none was asked for (SMS without enableDeliveryReport). */
  state: 'Pending' | 'Reported' | 'NoReport' | 'Dropped'
  /** The report events published so far, as published (before any subscription's schema conversion). */
  events: Array<{ id: string, eventType: string, status: string, publishedAt: string, event: EventGridEvent }>
  /** Why a scheduled report was not published (reset, shutdown, or the publish failed). */
  dropped?: string
}

export interface AcsTopicRef { name: string, resourceId: string, isSystem: boolean, config: { acsAccessKey?: string, acsSenders?: string[] } }

export interface AcsMessagingDeps {
  config: EmulatorConfig
  clock: Clock
  topics: () => Iterable<AcsTopicRef>
  /** Publishes generated events on a topic through the emulator's pipeline; throws when it refuses them. */
  publish: (topic: string, events: EventGridEvent[]) => void
  logger: { warn: (o: object, m: string) => void }
}

/** The outbox keeps the most recent sends; older ones are forgotten (the report events are in the delivery log). */
export const OUTBOX_LIMIT = 10_000

export class AcsMessaging {
  private readonly outbox: OutboxEntry[] = []
  private readonly operations = new Map<string, { topic: string, createdAt: string }>()
  private readonly timers = new Map<TimerHandle, OutboxEntry>()
  private overrides: OutcomeRule[] = []

  constructor (private readonly deps: AcsMessagingDeps) {}

  /** Every ACS topic's signing key (configured, or the default derived from its name). */
  keys (onlyTopic?: string): KeyOwner[] {
    return [...this.deps.topics()]
      .filter((t) => t.isSystem && (onlyTopic === undefined || t.name === onlyTopic))
      .map((t) => ({ topic: t.name, key: t.config.acsAccessKey ?? defaultAcsAccessKey(t.name) }))
  }

  connectionString (topic: string, baseUrl: string): string | undefined {
    const key = this.keys(topic)[0]?.key
    return key === undefined ? undefined : `endpoint=${baseUrl.replace(/\/?$/, '/')};accesskey=${key}`
  }

  senders (topic: string): string[] | undefined {
    return [...this.deps.topics()].find((t) => t.name === topic)?.config.acsSenders
  }

  /** Rules of the running scenario, tried before the config's `acs.outcomes`. */
  get rules (): OutcomeRule[] { return [...this.overrides, ...(this.deps.config.acs.outcomes ?? [])] }
  get overrideRules (): OutcomeRule[] { return this.overrides }
  setOverrides (rules: OutcomeRule[]): void { this.overrides = [...rules] }

  now (): Date { return new Date(this.deps.clock.now()) }
  newGuid (): string { return randomUUID() }

  startEmailOperation (topic: string, id: string): void {
    this.operations.set(id, { topic, createdAt: this.now().toISOString() })
  }

  /** Email operations are Succeeded once accepted: the outcome arrives as delivery reports, as in ACS. */
  emailOperation (topic: string, id: string): { id: string, status: 'Succeeded' } | undefined {
    return this.operations.get(id)?.topic === topic ? { id, status: 'Succeeded' } : undefined
  }

  /** Records what the app sent and schedules its reports under the matching outcome. */
  send (topic: AcsTopicRef, sent: readonly SentMessage[]): OutboxEntry[] {
    const sentAt = this.now()
    return sent.map((message) => {
      const outcome = outcomeFor(message.channel, message.to, this.rules)
      const steps = reportSteps(message, outcome)
      const entry: OutboxEntry = { ...message, topic: topic.name, sentAt: sentAt.toISOString(), outcome, state: steps.length === 0 ? 'NoReport' : 'Pending', events: [] }
      this.outbox.push(entry)
      if (this.outbox.length > OUTBOX_LIMIT) this.outbox.splice(0, this.outbox.length - OUTBOX_LIMIT)
      let remaining = steps.length
      for (const step of steps) {
        const handle = this.deps.clock.setTimer(() => {
          this.timers.delete(handle)
          remaining -= 1
          this.report(topic, entry, step.eventType, step.status, step.data(this.now(), sentAt))
          if (remaining === 0 && entry.state === 'Pending') entry.state = 'Reported'
        }, step.afterMs * this.deps.config.delivery.timeScale)
        this.timers.set(handle, entry)
      }
      return entry
    })
  }

  private report (topic: AcsTopicRef, entry: OutboxEntry, eventType: string, status: string, data: Record<string, unknown>): void {
    try {
      // The data plane is today's ACS, so reports use the current event shapes whatever acs.profile says.
      const event = generateAcsEvent(eventType, { data, profile: 'current' }, { topic: topic.resourceId, now: () => this.now(), newGuid: randomUUID })
      this.deps.publish(topic.name, [event])
      entry.events.push({ id: event.id, eventType, status, publishedAt: this.now().toISOString(), event })
    } catch (err) {
      this.drop(entry, `the ${eventType} report could not be published: ${(err as Error).message}`)
    }
  }

  private drop (entry: OutboxEntry, reason: string): void {
    entry.state = 'Dropped'
    entry.dropped = reason
    this.deps.logger.warn({ topic: entry.topic, messageId: entry.messageId, to: entry.to, reason }, 'ACS report dropped')
  }

  list (topic: string): OutboxEntry[] { return this.outbox.filter((e) => e.topic === topic) }

  /** Forgets the outbox and email operations and cancels reports not yet published (POST /admin/reset). */
  reset (): void {
    this.cancelPending('the emulator was reset before the report was due')
    this.outbox.length = 0
    this.operations.clear()
  }

  /** Shutdown: reports not yet due are recorded as dropped, not silently lost. */
  close (): void { this.cancelPending('the emulator shut down before the report was due') }

  private cancelPending (reason: string): void {
    for (const [handle, entry] of this.timers) {
      this.deps.clock.clearTimer(handle)
      if (entry.state === 'Pending') this.drop(entry, reason)
    }
    this.timers.clear()
  }
}
