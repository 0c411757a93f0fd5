/**
 * A scope's subscriptions by name. Routing reads the whole scope for every event, so the map keeps what that
 * needs and remakes it only when the subscriptions change: a list of them (a frozen array, the same object until
 * the next change, so the router's index and the delivery log's runs of declines can key on it in O(1)) and the
 * earliest expiry time (so looking for expired subscriptions costs nothing while none is due).
 *
 * Every change goes through set, delete or clear, except a subscription's settings changed in place
 * (SubscriptionRegistry.reconfigure), which calls `changed()`.
 *
 * It also keeps the sum of its subscriptions' back-pressure counts (`backlog()`, asked on every publish): the
 * OutcomeRecorder, the one writer of `sub.backlog`, tells the map that counts the subscription (`backlogHome`)
 * of each change. A subscription held by two maps at once (a scope's new runtime adopting the old one's) is
 * counted by the first; the other then adds up its subscriptions each time, as it did before.
 */
import type { SubscriptionRuntime } from './subscription.js'

export class SubscriptionMap extends Map<string, SubscriptionRuntime> {
  private snapshot: readonly SubscriptionRuntime[] | undefined
  private expiry: number | undefined
  /** The backlog of the subscriptions this map counts (those whose backlogHome it is). */
  private total = 0
  /** False once it holds a subscription another map (or another entry) counts: then backlog() adds up. */
  private exact = true

  override set (name: string, sub: SubscriptionRuntime): this {
    const old = super.get(name)
    if (old !== undefined) this.release(old)
    super.set(name, sub)
    if (sub.backlogHome === undefined) {
      sub.backlogHome = this
      this.total += sub.backlog
    } else {
      this.exact = false
    }
    this.changed()
    return this
  }

  override delete (name: string): boolean {
    const old = super.get(name)
    if (old === undefined) return false
    super.delete(name)
    this.release(old)
    this.changed()
    return true
  }

  override clear (): void {
    for (const sub of super.values()) this.release(sub)
    super.clear()
    this.changed()
  }

  /** Accepted events of these subscriptions without a final outcome yet (the back-pressure measure). */
  backlog (): number {
    if (this.exact) return this.total
    let n = 0
    for (const sub of this.list()) n += sub.backlog
    return n
  }

  /** A subscription this map counts changed its backlog by `delta` (called by the OutcomeRecorder only). */
  backlogChanged (delta: number): void {
    this.total += delta
  }

  private release (sub: SubscriptionRuntime): void {
    if (sub.backlogHome !== this) return
    this.total -= sub.backlog
    sub.backlogHome = undefined
  }

  /** Forgets what was worked out from the subscriptions: one of them changed in place. */
  changed (): void {
    this.snapshot = undefined
    this.expiry = undefined
  }

  /** The subscriptions in insertion order: the same (frozen) array until the next change. */
  list (): readonly SubscriptionRuntime[] {
    this.snapshot ??= Object.freeze([...super.values()])
    return this.snapshot
  }

  /** The earliest `expirationTimeUtc` of the subscriptions (epoch ms); Infinity when none expires. */
  earliestExpiry (): number {
    if (this.expiry === undefined) {
      let earliest = Infinity
      for (const sub of this.list()) {
        const expires = sub.body.expirationTimeUtc
        if (expires === undefined) continue
        const at = Date.parse(expires)
        if (at < earliest) earliest = at
      }
      this.expiry = earliest
    }
    return this.expiry
  }
}
