/**
 * A first-in first-out queue with amortised O(1) push and shift. `Array.prototype.shift`/`splice(0, n)` move every
 * remaining element, so draining a backlog of n events with them costs O(n²): 160k queued events drained six times
 * slower per event than 10k. Here the head is an index; the spent prefix is dropped once it is half the array.
 */
export class Fifo<T> {
  private items: T[] = []
  private head = 0

  get length (): number { return this.items.length - this.head }

  /** One item: no rest parameter, which would allocate an array per call (the delivery log pushes per record). */
  push (value: T): void {
    this.items.push(value)
  }

  pushAll (values: readonly T[]): void {
    // A loop, not push(...values): spreading 100k arguments overflows the call stack.
    for (const v of values) this.items.push(v)
  }

  /** The item `i` places from the front (0 = the next to leave), without removing it. */
  peek (i = 0): T | undefined { return this.items[this.head + i] }

  shift (): T | undefined {
    if (this.head >= this.items.length) return undefined
    const v = this.items[this.head]
    this.items[this.head] = undefined as T // let the event be collected
    this.head++
    if (this.head === this.items.length) { this.items = []; this.head = 0 } else if (this.head > 1024 && this.head * 2 > this.items.length) this.compact()
    return v
  }

  /** Removes and returns everything, oldest first. */
  drain (): T[] {
    const out = this.items.slice(this.head)
    this.items = []
    this.head = 0
    return out
  }

  toArray (): T[] { return this.items.slice(this.head) }

  private compact (): void {
    this.items = this.items.slice(this.head)
    this.head = 0
  }
}
