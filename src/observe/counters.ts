/**
 * Per-subscription counts of delivery decisions, and the last declined event with its filter explanation, kept
 * as records arrive so the dashboard and `subscriptions` do not scan the whole delivery log.
 */
import type { DeliveryOutcome, DeliveryRecord } from '../delivery/delivery-log.js'
import type { DeliveryLogStore } from '../delivery/ports.js'

export type OutcomeCounts = Partial<Record<DeliveryOutcome, number>>

interface Slot { counts: OutcomeCounts, lastDeclined?: DeliveryRecord }

export class OutcomeCounters {
  /** By `keyOf` (names ignore case), the subscription's counts and its last declined event. */
  private readonly slots = new Map<string, Slot>()
  /**
   * topic → subscription name as recorded → its slot. Every declined subscription of every event passes here, so
   * the common path is two Map reads, without building and lower-casing a key per record.
   */
  private readonly byName = new Map<string, Map<string, Slot>>()

  constructor (log: DeliveryLogStore) {
    log.onRecord((r) => {
      const slot = this.slotOf(r.topic, r.subscription)
      const { counts } = slot
      counts[r.outcome] = (counts[r.outcome] ?? 0) + 1
      // The record itself is kept: its explanation is worked out only if someone looks.
      if (r.outcome === 'NotMatched') slot.lastDeclined = r
    })
  }

  of (topic: string, subscription: string): { counts: OutcomeCounts, lastNotMatched?: DeliveryRecord } {
    const slot = this.slots.get(keyOf(topic, subscription))
    const last = slot?.lastDeclined
    return { counts: { ...slot?.counts }, ...(last !== undefined ? { lastNotMatched: JSON.parse(JSON.stringify(last)) as DeliveryRecord } : {}) }
  }

  clear (): void {
    this.slots.clear()
    this.byName.clear()
  }

  private slotOf (topic: string, subscription: string): Slot {
    let names = this.byName.get(topic)
    if (names === undefined) { names = new Map(); this.byName.set(topic, names) }
    let slot = names.get(subscription)
    if (slot === undefined) {
      const key = keyOf(topic, subscription)
      slot = this.slots.get(key)
      if (slot === undefined) { slot = { counts: {} }; this.slots.set(key, slot) }
      names.set(subscription, slot)
    }
    return slot
  }
}

function keyOf (topic: string, subscription: string): string { return `${topic}\u0000${subscription.toLowerCase()}` }
