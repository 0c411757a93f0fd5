/**
 * The final outcomes of namespace events that leave without being settled: dead-lettered in the namespace format
 * (a file per event, listed with the other dead letters) or dropped with the reason. Writes under way are tracked
 * so shutdown can wait for them.
 */
import type { Clock, DeadLetterStorage, DeliveryLogStore } from '../delivery/ports.js'
import type { CloudEvent } from '../domain/events.js'
import { deadLetterPath, writeNamespaceDeadLetter, type NamespaceDeadLetterRecord } from './dead-letter.js'
import type { NsSubscription } from './model.js'

export interface NamespaceOutcomeOptions {
  clock: Clock
  log: DeliveryLogStore
  deadLetters: DeadLetterStorage
  logger: { warn: (o: object, m: string) => void, error: (o: object, m: string) => void }
}

export class NamespaceOutcomes {
  private readonly writes = new Set<Promise<void>>()

  constructor (private readonly opts: NamespaceOutcomeOptions) {}

  deadLetter (sub: NsSubscription, event: CloudEvent, info: { reason: string, result: string, attempts: number, publishTime: number, lastAttemptAt: number }): void {
    const now = new Date(this.opts.clock.now())
    const topic = `${sub.namespace}/${sub.topic}`
    if (sub.deadLetterContainer === undefined) {
      this.dropped(sub, [event.id], `${info.reason}: ${info.result} No dead-letter destination is configured.`)
      return
    }
    const rel = deadLetterPath(sub.deadLetterContainer, sub.namespace, sub.topic, sub.name, now)
    const record: NamespaceDeadLetterRecord = {
      deadLetterProperties: {
        deadletterreason: info.reason,
        deliveryattempts: info.attempts,
        deliveryresult: info.result,
        publishutc: new Date(info.publishTime).toISOString(),
        deliveryattemptutc: new Date(info.lastAttemptAt).toISOString()
      },
      event
    }
    this.opts.log.add({ time: now.toISOString(), topic, subscription: sub.name, eventIds: [event.id], outcome: 'DeadLettered', reason: `${info.reason}: ${info.result}` })
    const p = writeNamespaceDeadLetter(this.opts.deadLetters.directory, rel, record)
      .then(() => {
        this.opts.deadLetters.record({ topic, subscription: sub.name, container: sub.deadLetterContainer!, path: rel, reason: info.reason, eventIds: [event.id], time: now.toISOString(), events: [event] })
      })
      .catch((err: Error) => {
        this.opts.logger.error({ topic, subscription: sub.name, eventId: event.id, err: err.message }, 'namespace dead-letter write failed; the event is dropped')
        this.dropped(sub, [event.id], `dead-letter write failed: ${err.message}`)
      })
      .finally(() => { this.writes.delete(p) })
    this.writes.add(p)
  }

  dropped (sub: NsSubscription, eventIds: string[], reason: string): void {
    this.opts.log.add({ time: new Date(this.opts.clock.now()).toISOString(), topic: `${sub.namespace}/${sub.topic}`, subscription: sub.name, eventIds, outcome: 'Dropped', reason })
    this.opts.logger.warn({ topic: `${sub.namespace}/${sub.topic}`, subscription: sub.name, eventIds, reason }, 'namespace event dropped')
  }

  /** Resolves when the dead-letter writes under way have their outcome. */
  async settled (): Promise<void> { await Promise.all([...this.writes]) }
}
