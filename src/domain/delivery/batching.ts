/**
 * Output batching (reference §5.2): `maxEventsPerBatch` is a hard cap, `preferredBatchSizeInKilobytes` a soft
 * target. Event Grid never waits to fill a batch, and an event larger than the target still goes, alone.
 */
export interface BatchSettings { maxEventsPerBatch: number, preferredBatchSizeInKilobytes: number }

/** Azure's values when batching is not configured: one event per request, 64 KB. */
export const DEFAULT_BATCH: BatchSettings = { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64 }

/** Removes and returns the next batch from the front of `queue`; `sizeOf` gives an item's size in bytes. */
export function takeBatch<T> (queue: T[], settings: BatchSettings, sizeOf: (item: T) => number): T[] {
  const limit = settings.preferredBatchSizeInKilobytes * 1024
  let bytes = 0
  let count = 0
  while (count < queue.length && count < settings.maxEventsPerBatch) {
    const size = sizeOf(queue[count]!)
    if (count > 0 && bytes + size > limit) break
    bytes += size
    count++
  }
  return queue.splice(0, count)
}
