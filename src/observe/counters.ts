/**
 * Per-subscription counts of delivery decisions, and the last declined event with its filter explanation, kept
 * as records arrive so the dashboard and `subscriptions` do not scan the whole delivery log.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../delivery/delivery-log.js'
import type { DeliveryLogStore } from '../delivery/ports.js'

export type OutcomeCounts = Partial<Record<DeliveryOutcome, number>>

export class OutcomeCounters {
  private readonly counts = new Map<string, OutcomeCounts>()
  private readonly lastDeclined = new Map<string, DeliveryRecord>()

  constructor (log: DeliveryLogStore) {
    log.onRecord((r) => {
      const key = keyOf(r.topic, r.subscription)
      let c = this.counts.get(key)
      if (c === undefined) { c = {}; this.counts.set(key, c) }
      c[r.outcome] = (c[r.outcome] ?? 0) + 1
      // The record itself is kept: its explanation is worked out only if someone looks.
      if (r.outcome === 'NotMatched') this.lastDeclined.set(key, r)
    })
  }

  of (topic: string, subscription: string): { counts: OutcomeCounts, lastNotMatched?: DeliveryRecord } {
    const key = keyOf(topic, subscription)
    const last = this.lastDeclined.get(key)
    return { counts: { ...this.counts.get(key) }, ...(last !== undefined ? { lastNotMatched: JSON.parse(JSON.stringify(last)) as DeliveryRecord } : {}) }
  }

  clear (): void {
    this.counts.clear()
    this.lastDeclined.clear()
  }
}

function keyOf (topic: string, subscription: string): string { return `${topic}\u0000${subscription.toLowerCase()}` }
