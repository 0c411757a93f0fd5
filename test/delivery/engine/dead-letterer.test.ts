/** The dead-letterer: writes with the attempt facts, records DeadLettered or Dropped, and settles writes under way. */
import t from 'tap'
import { DeadLetterer } from '../../../src/delivery/engine/dead-letterer.js'
import { OutcomeRecorder } from '../../../src/delivery/engine/outcome-recorder.js'
import type { DeadLetterWriter } from '../../../src/delivery/ports.js'
import { ManualClock } from '../../helpers/manual-clock.js'
import { DeliveryLog, event, outcomes, subscription } from './fixtures.js'

const withContainer = { deadLetterDestination: { endpointType: 'StorageBlob', properties: { resourceId: '/x', blobContainerName: 'dead' } } } as const

t.test('a write under way gets its DeadLettered record before settled() resolves', async (t) => {
  const log = new DeliveryLog()
  const writes: Array<Parameters<DeadLetterWriter['write']>[0]> = []
  let finish: (() => void) | undefined
  const store: DeadLetterWriter = { write: async (args) => { writes.push(args); await new Promise<void>((resolve) => { finish = resolve }); return { path: 'dead/HOOK/x.json' } } }
  const clock = new ManualClock()
  const deadLetterer = new DeadLetterer({ clock, store, recorder: new OutcomeRecorder({ clock, log }) })
  const sub = subscription(withContainer as never)
  sub.state = 'Succeeded'
  deadLetterer.deadLetter({ sub, events: [event('a')], attempts: 3, lastStatus: 500, lastAttemptAt: clock.now() }, 'MaxDeliveryAttemptsExceeded')
  t.equal(deadLetterer.pending, 1)
  const settled = deadLetterer.settled()
  await new Promise((resolve) => setImmediate(resolve))
  t.same(outcomes(log), [], 'not yet written')
  finish!()
  await settled
  t.same(outcomes(log), ['DeadLettered:a'])
  t.match(log.query()[0]?.reason, 'MaxDeliveryAttemptsExceeded; written to dead/HOOK/x.json')
  t.match(writes[0], { container: 'dead', subscription: 'hook', reason: 'MaxDeliveryAttemptsExceeded', eventIds: ['a'], events: [{ deadLetterReason: 'MaxDeliveryAttemptsExceeded', deliveryAttempts: 3, lastHttpStatusCode: 500 }] })
})

t.test('no dead-letter destination: Dropped with the reason; a failed write: Dropped with the error', async (t) => {
  const log = new DeliveryLog()
  const clock = new ManualClock()
  const failing: DeadLetterWriter = { write: async () => { throw new Error('disk full') } }
  const deadLetterer = new DeadLetterer({ clock, store: failing, recorder: new OutcomeRecorder({ clock, log }) })
  deadLetterer.deadLetter({ sub: subscription(), events: [event('a')], attempts: 1 }, 'TimeToLiveExceeded')
  const sub = subscription(withContainer as never)
  deadLetterer.deadLetter({ sub, events: [event('b')], attempts: 1 }, 'TimeToLiveExceeded')
  await deadLetterer.settled()
  t.match(log.query(), [
    { outcome: 'Dropped', eventIds: ['a'], reason: /no deadLetterDestination is configured/ },
    { outcome: 'Dropped', eventIds: ['b'], reason: 'TimeToLiveExceeded; writing the dead-letter file failed: disk full' }
  ])
})
