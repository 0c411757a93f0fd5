import type { Clock, TimerHandle } from '../delivery/ports.js'

/** The real clock. Timers are unref'd so pending retries never keep a finished process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, delayMs) => {
    // setTimeout caps at 2^31-1 ms (~24.8 days); longer waits simply re-check when they fire.
    const t = setTimeout(fn, Math.min(delayMs, 2 ** 31 - 1))
    t.unref()
    return { id: t }
  },
  clearTimer: (handle: TimerHandle) => { clearTimeout(handle.id as NodeJS.Timeout) }
}
