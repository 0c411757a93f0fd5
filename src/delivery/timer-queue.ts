/**
 * One timer for many pending retries: a binary min-heap ordered by due time, driven by the injected Clock.
 * 100,000 waiting batches cost one heap entry each and a single armed timer, not 100,000 setTimeouts.
 */
import type { Clock, TimerHandle } from './ports.js'

interface Entry<T> { due: number, seq: number, item: T }

export class TimerQueue<T> {
  private readonly heap: Array<Entry<T>> = []
  private timer: TimerHandle | undefined
  private armedFor = Infinity
  private seq = 0
  private stopped = false

  constructor (private readonly clock: Clock, private readonly onDue: (item: T) => void) {}

  get size (): number { return this.heap.length }

  push (item: T, due: number): void {
    this.insert({ due, seq: this.seq++, item })
    this.arm()
  }

  stop (): void {
    this.stopped = true
    this.disarm()
  }

  /** Removes and returns the pending items that satisfy `predicate` (a deleted subscription's retries). */
  remove (predicate: (item: T) => boolean): T[] {
    const removed = this.heap.filter((e) => predicate(e.item))
    if (removed.length === 0) return []
    const kept = this.heap.filter((e) => !predicate(e.item))
    this.heap.length = 0
    for (const e of kept) this.insert(e)
    return removed.map((e) => e.item)
  }

  private fire = (): void => {
    this.timer = undefined
    this.armedFor = Infinity
    const now = this.clock.now()
    try {
      while (this.heap.length > 0 && this.heap[0]!.due <= now) this.onDue(this.pop().item)
    } finally {
      // Even if a handler throws, the remaining retries keep their timer.
      this.arm()
    }
  }

  private arm (): void {
    if (this.stopped || this.heap.length === 0) return
    const due = this.heap[0]!.due
    if (due >= this.armedFor) return
    this.disarm()
    this.armedFor = due
    this.timer = this.clock.setTimer(this.fire, Math.max(0, due - this.clock.now()))
  }

  private disarm (): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer)
    this.timer = undefined
    this.armedFor = Infinity
  }

  private insert (entry: Entry<T>): void {
    const h = this.heap
    h.push(entry)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(h[i]!, h[parent]!)) break
      ;[h[i], h[parent]] = [h[parent]!, h[i]!]
      i = parent
    }
  }

  private pop (): Entry<T> {
    const h = this.heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < h.length && before(h[l]!, h[m]!)) m = l
        if (r < h.length && before(h[r]!, h[m]!)) m = r
        if (m === i) break
        ;[h[i], h[m]] = [h[m]!, h[i]!]
        i = m
      }
    }
    return top
  }
}

function before<T> (a: Entry<T>, b: Entry<T>): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq)
}
