/** Shared pieces for the engine part tests: a subscription, events, a delivery log and a fake Transport port. */
import type { SubscriptionBody } from '../../../src/config/types.js'
import { DeliveryLog, type DeliveryRecord } from '../../../src/delivery/delivery-log.js'
import type { OutboundRequest, Transport, TransportResult } from '../../../src/delivery/ports.js'
import { createSubscription, type SubscriptionRuntime } from '../../../src/delivery/subscription.js'
import type { AcceptedEvent } from '../../../src/domain/events.js'

export function subscription (extra: Partial<SubscriptionBody> = {}, endpointUrl = 'http://receiver.test/hook'): SubscriptionRuntime {
  const body = { destination: { endpointType: 'WebHook', properties: { endpointUrl } }, ...extra } as SubscriptionBody
  const sub = createSubscription('orders', 'hook', body, 'EventGridSchema')
  sub.state = 'Succeeded'
  return sub
}

export function event (id: string, publishTime = '2024-05-01T12:00:00.000Z', eventType = 'Contoso.Created'): AcceptedEvent {
  return {
    inputSchema: 'EventGridSchema',
    id,
    type: eventType,
    publishTime,
    eventGrid: { id, subject: '/orders/1', eventType, eventTime: publishTime, data: {}, dataVersion: '1.0' }
  }
}

/** The outcomes recorded so far, in order, as `outcome:eventId,eventId`. */
export function outcomes (log: DeliveryLog): string[] {
  return log.query().map((r: DeliveryRecord) => `${r.outcome}:${r.eventIds.join(',')}`)
}

export { DeliveryLog }

/** A Transport port whose answers the test decides; requests stay open until answered. */
export class FakeTransport implements Transport {
  readonly requests: Array<{ request: OutboundRequest, answer: (result: Partial<TransportResult>) => void }> = []
  destroyed = false

  send = async (request: OutboundRequest): Promise<TransportResult> => await new Promise((resolve) => {
    this.requests.push({ request, answer: (r) => { resolve({ headers: {}, durationMs: 1, ...r }) } })
  })

  close = async (): Promise<void> => {}

  destroy = async (): Promise<void> => {
    this.destroyed = true
    for (const r of this.requests.splice(0)) r.answer({ error: 'SocketError', errorMessage: 'aborted' })
  }

  /** Answers the oldest open request. */
  answerNext (result: Partial<TransportResult>): OutboundRequest {
    const next = this.requests.shift()
    if (next === undefined) throw new Error('no request is open')
    next.answer(result)
    return next.request
  }
}

/** Lets promise callbacks (an answered request, a finished write) run. */
export async function settle (): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
}
