/**
 * One pull (Queue) event subscription: the events waiting, locked or delayed, and the settlement rules of
 * receive / acknowledge / release / reject / renewLock. Pure state: the caller passes `now` and runs timers,
 * so lock expiry and TTL are tested by moving a number, never by sleeping.
 */
import type { CloudEvent } from '../domain/events.js'

export interface QueueSettings {
  lockMs: number
  maxDeliveryCount: number
  ttlMs: number
}

export interface QueuedEvent {
  readonly seq: number
  readonly event: CloudEvent
  readonly publishTime: number
  readonly expiresAt: number
  /** Receives so far. */
  deliveryCount: number
  lockToken?: string
  lockedUntil?: number
  availableAt?: number
  lastDeliveryAttempt?: number
}

export interface Received { lockToken: string, deliveryCount: number, event: CloudEvent }

export interface FailedLockToken { lockToken: string, error: { code: string, message: string } }
export interface SettleResult { succeededLockTokens: string[], failedLockTokens: FailedLockToken[] }

/** Why an event left the queue without being acknowledged. */
export type Removal =
  | { kind: 'dead-letter', entry: QueuedEvent, reason: string, result: string }
  | { kind: 'lock-expired', entry: QueuedEvent }

/** Tokens of settled or expired locks are remembered this long, so a late settle says TokenLost, not BadToken. */
const FORGET_AFTER = 10_000

export class SubscriptionQueue {
  private readonly available = new Map<number, QueuedEvent>()
  private readonly locked = new Map<string, QueuedEvent>()
  private readonly delayed = new Map<number, QueuedEvent>()
  /** Lock tokens no longer valid, with why; insertion-ordered so the oldest are forgotten first. */
  private readonly lost = new Map<string, string>()
  private seq = 0

  constructor (readonly settings: QueueSettings, private readonly newToken: () => string) {}

  get depth (): number { return this.available.size + this.delayed.size }
  get lockedCount (): number { return this.locked.size }
  get delayedCount (): number { return this.delayed.size }

  enqueue (event: CloudEvent, now: number): QueuedEvent {
    const entry: QueuedEvent = { seq: this.seq++, event, publishTime: now, expiresAt: now + this.settings.ttlMs, deliveryCount: 0 }
    this.available.set(entry.seq, entry)
    return entry
  }

  /** Locks up to `max` available events, oldest first; each receive counts as a delivery. */
  receive (max: number, now: number): Received[] {
    const out: Received[] = []
    for (const entry of this.available.values()) {
      if (out.length >= max) break
      this.available.delete(entry.seq)
      entry.deliveryCount++
      entry.lockToken = this.newToken()
      entry.lockedUntil = now + this.settings.lockMs
      entry.lastDeliveryAttempt = now
      this.locked.set(entry.lockToken, entry)
      out.push({ lockToken: entry.lockToken, deliveryCount: entry.deliveryCount, event: entry.event })
    }
    return out
  }

  acknowledge (tokens: readonly string[], now: number): { result: SettleResult, settled: QueuedEvent[] } {
    return this.settle(tokens, now, 'acknowledged', () => {})
  }

  /** Puts locked events back, at once or after `delayMs`; an event already received maxDeliveryCount times is dead-lettered instead. */
  release (tokens: readonly string[], delayMs: number, now: number): { result: SettleResult, settled: QueuedEvent[], deadLettered: Removal[] } {
    const deadLettered: Removal[] = []
    const out = this.settle(tokens, now, 'released', (entry) => {
      const removal = this.returnOrDeadLetter(entry, now + delayMs, now, 'released')
      if (removal !== undefined) deadLettered.push(removal)
    })
    return { ...out, deadLettered }
  }

  reject (tokens: readonly string[], now: number): { result: SettleResult, deadLettered: Removal[] } {
    const deadLettered: Removal[] = []
    const { result } = this.settle(tokens, now, 'rejected', (entry) => {
      deadLettered.push({ kind: 'dead-letter', entry, reason: 'Rejected', result: 'The event was rejected by the receiver (reject operation).' })
    })
    return { result, deadLettered }
  }

  renewLock (tokens: readonly string[], now: number): SettleResult {
    const result: SettleResult = { succeededLockTokens: [], failedLockTokens: [] }
    for (const token of tokens) {
      const entry = this.lockedEntry(token, now, result)
      if (entry === undefined) continue
      entry.lockedUntil = now + this.settings.lockMs
      result.succeededLockTokens.push(token)
    }
    return result
  }

  /**
   * Applies time: expired locks return events to the queue (or dead-letter them once maxDeliveryCount is used
   * up), delayed releases become available, events past their TTL are dead-lettered.
   */
  sweep (now: number): Removal[] {
    const removed: Removal[] = []
    for (const [token, entry] of this.locked) {
      if (entry.lockedUntil! > now) continue
      this.locked.delete(token)
      this.forget(token, 'lock expired')
      removed.push({ kind: 'lock-expired', entry })
      const dl = this.returnOrDeadLetter(entry, now, now, 'lock expired')
      if (dl !== undefined) removed.push(dl)
    }
    for (const [seq, entry] of this.delayed) {
      if (entry.availableAt! > now) continue
      this.delayed.delete(seq)
      this.available.set(seq, entry)
    }
    for (const map of [this.available, this.delayed]) {
      for (const [seq, entry] of map) {
        if (entry.expiresAt > now) continue
        map.delete(seq)
        removed.push({ kind: 'dead-letter', entry, reason: 'TimeToLiveExceeded', result: `The event was not acknowledged within its time to live (eventTimeToLive ${Math.round(this.settings.ttlMs / 1000)} s).` })
      }
    }
    return removed
  }

  /** The next time sweep() has something to do, or undefined. Locked events past their TTL wait for the lock. */
  nextDue (): number | undefined {
    let due = Infinity
    for (const e of this.locked.values()) due = Math.min(due, e.lockedUntil!)
    for (const e of this.delayed.values()) due = Math.min(due, e.availableAt!, e.expiresAt)
    const oldest = this.available.values().next() // FIFO: the oldest expires first
    if (oldest.done !== true) due = Math.min(due, oldest.value.expiresAt)
    return due === Infinity ? undefined : due
  }

  /** Every event still held (for shutdown accounting and reset). */
  drain (): QueuedEvent[] {
    const all = [...this.available.values(), ...this.locked.values(), ...this.delayed.values()]
    this.available.clear(); this.locked.clear(); this.delayed.clear(); this.lost.clear()
    return all
  }

  private returnOrDeadLetter (entry: QueuedEvent, availableAt: number, now: number, how: string): Removal | undefined {
    entry.lockToken = undefined
    entry.lockedUntil = undefined
    if (entry.deliveryCount >= this.settings.maxDeliveryCount) {
      return { kind: 'dead-letter', entry, reason: 'MaxDeliveryCountExceeded', result: `The event was ${how} after ${entry.deliveryCount} deliveries; maxDeliveryCount is ${this.settings.maxDeliveryCount}.` }
    }
    if (availableAt <= now) {
      entry.availableAt = undefined
      this.available.set(entry.seq, entry)
    } else {
      entry.availableAt = availableAt
      this.delayed.set(entry.seq, entry)
    }
    return undefined
  }

  private settle (tokens: readonly string[], now: number, verb: string, then: (entry: QueuedEvent) => void): { result: SettleResult, settled: QueuedEvent[] } {
    const result: SettleResult = { succeededLockTokens: [], failedLockTokens: [] }
    const settled: QueuedEvent[] = []
    for (const token of tokens) {
      const entry = this.lockedEntry(token, now, result)
      if (entry === undefined) continue
      this.locked.delete(token)
      this.forget(token, `the event was already ${verb}`)
      result.succeededLockTokens.push(token)
      settled.push(entry)
      then(entry)
    }
    return { result, settled }
  }

  /** The locked event for `token`, or undefined after recording why the token failed. */
  private lockedEntry (token: string, now: number, result: SettleResult): QueuedEvent | undefined {
    const entry = this.locked.get(token)
    if (entry !== undefined && entry.lockedUntil! > now) return entry
    if (entry !== undefined) {
      // Expired but not yet swept: the lock is gone all the same.
      result.failedLockTokens.push({ lockToken: token, error: { code: 'TokenLost', message: 'Token has expired: the lock duration passed before the operation.' } })
      return undefined
    }
    const why = this.lost.get(token)
    if (why !== undefined) {
      result.failedLockTokens.push({ lockToken: token, error: { code: 'TokenLost', message: `Token is no longer valid: ${why}.` } })
    } else {
      result.failedLockTokens.push({ lockToken: token, error: { code: 'BadToken', message: `The lock token '${token}' is not a token this event subscription issued.` } })
    }
    return undefined
  }

  private forget (token: string, why: string): void {
    this.lost.set(token, why)
    if (this.lost.size > FORGET_AFTER) this.lost.delete(this.lost.keys().next().value!)
  }
}
