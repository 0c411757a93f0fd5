/**
 * Output batching (reference §5.2): `maxEventsPerBatch` is a hard cap, `preferredBatchSizeInKilobytes` a soft
 * target. Event Grid never waits to fill a batch, and an event larger than the target still goes, alone.
 */
export interface BatchSettings { maxEventsPerBatch: number, preferredBatchSizeInKilobytes: number }

/** Azure's values when batching is not configured: one event per request, 64 KB. */
export const DEFAULT_BATCH: BatchSettings = { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 }

/** What batching needs of a queue: a look at the front and a constant-time removal from it. */
export interface BatchSource<T> {
  readonly length: number
  peek: (i: number) => T | undefined
  shift: () => T | undefined
}

/**
 * Removes and returns the next batch from the front of `queue`; `sizeOf` gives an item's size in bytes.
 * Works on an array too (through `arrayQueue`). If `sizeOf` throws, nothing has been removed.
 */
export function takeBatch<T> (queue: BatchSource<T>, settings: BatchSettings, sizeOf: (item: T) => number): T[] {
  const limit = settings.preferredBatchSizeInKilobytes * 1024
  let bytes = 0
  let count = 0
  while (count < queue.length && count < settings.maxEventsPerBatch) {
    const size = sizeOf(queue.peek(count)!)
    if (count > 0 && bytes + size > limit) break
    bytes += size
    count++
  }
  const batch: T[] = []
  for (let i = 0; i < count; i++) batch.push(queue.shift()!)
  return batch
}

/** An array seen as a BatchSource (shift is O(n) there: for small inputs and tests). */
export function arrayQueue<T> (items: T[]): BatchSource<T> {
  return { get length () { return items.length }, peek: (i) => items[i], shift: () => items.shift() }
}
