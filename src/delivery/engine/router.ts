/**
 * Routing: offers accepted events to a scope's subscriptions. What a filter declines is recorded as NotMatched
 * (explained lazily); what it accepts goes to the subscription's queue.
 */
import type { AcceptedEvent } from '../../domain/events.js'
import { filterView, type SubscriptionRuntime } from '../subscription.js'
import type { Clock } from '../ports.js'
import type { OutcomeRecorder } from './outcome-recorder.js'

export class Router {
  constructor (private readonly clock: Clock, private readonly recorder: OutcomeRecorder, private readonly enqueue: (sub: SubscriptionRuntime, events: AcceptedEvent[]) => void) {}

  /** A filter that throws on an event drops that event for that subscription only, with the error as reason. */
  route (subscriptions: Iterable<SubscriptionRuntime>, events: readonly AcceptedEvent[]): void {
    const time = new Date(this.clock.now()).toISOString()
    for (const sub of subscriptions) {
      const matched: AcceptedEvent[] = []
      for (const event of events) {
        let verdict: boolean
        const view = filterView(event)
        try {
          verdict = sub.filter.matches(view)
        } catch (err) {
          this.recorder.fail(sub, [event], 'evaluating the filter', err, false)
          continue
        }
        if (verdict) matched.push(event)
        else this.recorder.notMatched(sub, event, view, time)
      }
      if (matched.length > 0) this.enqueue(sub, matched)
    }
  }
}
