/** Output batching as a pure function, over an array and over the delivery queue (Fifo). */
import t from 'tap'
import { arrayQueue, DEFAULT_BATCH, takeBatch } from '../../src/domain/delivery-rules/batching.js'
import { Fifo } from '../../src/delivery/fifo.js'

const size = (n: number): number => n // an item's size in bytes is its value

t.test('without batching settings: one event per request', async (t) => {
  const q = [100, 200, 300]
  t.same(takeBatch(arrayQueue(q), DEFAULT_BATCH, size), [100])
  t.same(q, [200, 300], 'the batch is removed from the front')
})

t.test('maxEventsPerBatch is a hard cap, even when the bytes would allow more', async (t) => {
  const q = [1, 1, 1, 1, 1]
  t.same(takeBatch(arrayQueue(q), { maxEventsPerBatch: 3, preferredBatchSizeInKilobytes: 64 }, size), [1, 1, 1])
  t.same(takeBatch(arrayQueue(q), { maxEventsPerBatch: 3, preferredBatchSizeInKilobytes: 64 }, size), [1, 1])
  t.same(takeBatch(arrayQueue(q), { maxEventsPerBatch: 3, preferredBatchSizeInKilobytes: 64 }, size), [], 'an empty queue gives an empty batch')
})

t.test('preferredBatchSizeInKilobytes is a soft target: stop before going over it, but an oversize event still goes alone', async (t) => {
  const settings = { maxEventsPerBatch: 10, preferredBatchSizeInKilobytes: 1 }
  const q = [400, 500, 200, 2000, 100]
  t.same(takeBatch(arrayQueue(q), settings, size), [400, 500], '400 + 500 fit in 1024; adding 200 would not')
  t.same(takeBatch(arrayQueue(q), settings, size), [200], 'the next event alone would exceed with the oversize one')
  t.same(takeBatch(arrayQueue(q), settings, size), [2000], 'an event larger than the target goes, alone')
  t.same(takeBatch(arrayQueue(q), settings, size), [100])
})

t.test('the delivery queue (Fifo) batches the same way, and a failing sizeOf removes nothing', async (t) => {
  const q = new Fifo<number>()
  q.pushAll([300, 300, 300, 300])
  t.same(takeBatch(q, { maxEventsPerBatch: 10, preferredBatchSizeInKilobytes: 1 }, size), [300, 300, 300])
  t.equal(q.length, 1)
  t.throws(() => takeBatch(q, DEFAULT_BATCH, () => { throw new Error('cannot size') }), /cannot size/)
  t.equal(q.length, 1, 'the event is still queued: the engine records it instead of losing it')
})
