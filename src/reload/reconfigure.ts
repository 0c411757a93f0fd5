/**
 * Changing a live subscription in place, for a reload that keeps its destination: the engine's pending retries,
 * waiting events and in-flight requests point at this very object, so they survive and follow the new settings
 * (filter, retry policy, batching, dead-letter container, delivery schema).
 */
import type { SubscriptionRuntime } from '../delivery/subscription.js'

/**
 * Copies everything but the runtime state (provisioning state, queue, in-flight count, validation, back-pressure
 * count) from `fresh`: the pending events still count against the topic's bound.
 */
export function reconfigureSubscription (sub: SubscriptionRuntime, fresh: SubscriptionRuntime): void {
  const { state: _state, stateReason: _reason, ready: _ready, inFlight: _inFlight, active: _active, validation: _validation, backlog: _backlog, ...settings } = fresh
  Object.assign(sub, settings)
}
