/**
 * A scope's subscriptions by name. Routing reads the whole scope for every event, so the map keeps what that
 * needs and remakes it only when the subscriptions change: a list of them (a frozen array, the same object until
 * the next change, so the router's index and the delivery log's runs of declines can key on it in O(1)) and the
 * earliest expiry time (so looking for expired subscriptions costs nothing while none is due).
 *
 * Every change goes through set, delete or clear, except a subscription's settings changed in place
 * (SubscriptionRegistry.reconfigure), which calls `changed()`.
 */
import type { SubscriptionRuntime } from './subscription.js'

export class SubscriptionMap extends Map<string, SubscriptionRuntime> {
  private snapshot: readonly SubscriptionRuntime[] | undefined
  private expiry: number | undefined

  override set (name: string, sub: SubscriptionRuntime): this {
    super.set(name, sub)
    this.changed()
    return this
  }

  override delete (name: string): boolean {
    const had = super.delete(name)
    if (had) this.changed()
    return had
  }

  override clear (): void {
    super.clear()
    this.changed()
  }

  /** Forgets what was worked out from the subscriptions: one of them changed in place. */
  changed (): void {
    this.snapshot = undefined
    this.expiry = undefined
  }

  /** The subscriptions in insertion order: the same (frozen) array until the next change. */
  list (): readonly SubscriptionRuntime[] {
    return this.snapshot ??= Object.freeze([...super.values()])
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
