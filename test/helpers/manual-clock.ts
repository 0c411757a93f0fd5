/** A clock the test moves by hand: timers fire only inside advance(), so back-off never costs real time. */
import type { Clock, TimerHandle } from '../../src/delivery/ports.js'

export class ManualClock implements Clock {
  private current: number
  private timers = new Map<number, { due: number, fn: () => void }>()
  private nextId = 1

  constructor (start = Date.parse('2024-05-01T12:00:00Z')) { this.current = start }

  now = (): number => this.current

  setTimer = (fn: () => void, delayMs: number): TimerHandle => {
    const id = this.nextId++
    this.timers.set(id, { due: this.current + delayMs, fn })
    return { id }
  }

  clearTimer = (handle: TimerHandle): void => { this.timers.delete(handle.id as number) }

  /** Moves time forward, firing due timers in order. */
  advance (ms: number): void {
    const target = this.current + ms
    for (;;) {
      const next = [...this.timers.entries()].filter(([, t]) => t.due <= target).sort((a, b) => a[1].due - b[1].due)[0]
      if (next === undefined) break
      this.timers.delete(next[0])
      this.current = next[1].due
      next[1].fn()
    }
    this.current = target
  }

  /** Due time of the earliest pending timer, relative to now. */
  nextDelay (): number | undefined {
    const dues = [...this.timers.values()].map((t) => t.due)
    return dues.length === 0 ? undefined : Math.min(...dues) - this.current
  }
}
