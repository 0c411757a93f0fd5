/**
 * One timer for many pending retries: a binary min-heap ordered by due time (then by arrival), driven by the
 * injected Clock. 100,000 waiting batches cost one heap slot each and a single armed timer, not 100,000 timeouts.
 *
 * The heap is three parallel arrays rather than an array of entry objects: a slot is the item, its due time (held
 * unboxed in an array of doubles) and its arrival number — 24 bytes, where an `{ due, seq, item }` entry with its
 * boxed due time cost 72.
 */
import type { Clock, TimerHandle } from './ports.js'

export class TimerQueue<T> {
  private readonly items: T[] = []
  private readonly dues: number[] = []
  private readonly seqs: number[] = []
  private timer: TimerHandle | undefined
  private armedFor = Infinity
  private seq = 0
  private stopped = false

  constructor (private readonly clock: Clock, private readonly onDue: (item: T) => void) {}

  get size (): number { return this.items.length }

  push (item: T, due: number): void {
    this.insert(item, due, this.seq++)
    this.arm()
  }

  stop (): void {
    this.stopped = true
    this.disarm()
  }

  /** Removes and returns the pending items that satisfy `predicate` (a deleted subscription's retries). */
  remove (predicate: (item: T) => boolean): T[] {
    const removed: T[] = []
    const kept: Array<{ item: T, due: number, seq: number }> = []
    for (let i = 0; i < this.items.length; i++) {
      const item = this.items[i]!
      if (predicate(item)) removed.push(item)
      else kept.push({ item, due: this.dues[i]!, seq: this.seqs[i]! })
    }
    if (removed.length === 0) return []
    this.items.length = 0
    this.dues.length = 0
    this.seqs.length = 0
    for (const e of kept) this.insert(e.item, e.due, e.seq)
    return removed
  }

  private fire = (): void => {
    this.timer = undefined
    this.armedFor = Infinity
    const now = this.clock.now()
    try {
      while (this.items.length > 0 && this.dues[0]! <= now) this.onDue(this.pop())
    } finally {
      // Even if a handler throws, the remaining retries keep their timer.
      this.arm()
    }
  }

  private arm (): void {
    if (this.stopped || this.items.length === 0) return
    const due = this.dues[0]!
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

  /** Whether slot `a` comes before slot `b`: earlier due time, or the same and pushed earlier. */
  private before (a: number, b: number): boolean {
    const da = this.dues[a]!
    const db = this.dues[b]!
    return da < db || (da === db && this.seqs[a]! < this.seqs[b]!)
  }

  private swap (a: number, b: number): void {
    const { items, dues, seqs } = this
    const item = items[a]!; items[a] = items[b]!; items[b] = item
    const due = dues[a]!; dues[a] = dues[b]!; dues[b] = due
    const seq = seqs[a]!; seqs[a] = seqs[b]!; seqs[b] = seq
  }

  private insert (item: T, due: number, seq: number): void {
    this.items.push(item)
    this.dues.push(due)
    this.seqs.push(seq)
    let i = this.items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  private pop (): T {
    const { items, dues, seqs } = this
    const top = items[0]!
    const last = items.length - 1
    if (last > 0) this.swap(0, last)
    items.pop()
    dues.pop()
    seqs.pop()
    let i = 0
    const n = items.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < n && this.before(l, m)) m = l
      if (r < n && this.before(r, m)) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
    return top
  }
}
