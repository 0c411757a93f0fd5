/**
 * The emulator's lifecycle as a state machine: Starting → Running → Closing → Closed (Starting → Closing too: a
 * start that failed, or a core that never listened). It replaces scattered `started`/`closing` flags and memoized
 * promises: events are accepted while Starting or Running, a second close() waits for the first, and a transition
 * the machine does not allow throws an error naming the state.
 */
import { EmulatorError, serviceUnavailable } from './errors.js'

export type LifecycleState = 'Starting' | 'Running' | 'Closing' | 'Closed'

export class LifecycleError extends EmulatorError {
  constructor (readonly from: LifecycleState, readonly to: LifecycleState, what: string) {
    super('Conflict', 409, 'IllegalLifecycleTransition', `${what} cannot go from ${from} to ${to}: ${from === 'Running' ? 'it is already running' : from === 'Starting' ? 'it has not started yet' : 'it was closed; start a new one'}`)
    this.name = 'LifecycleError'
  }
}

export class Lifecycle {
  private current: LifecycleState = 'Starting'
  private closing: Promise<unknown> | undefined

  /** `what` names the thing in errors ("the emulator"). */
  constructor (private readonly what = 'the emulator') {}

  get state (): LifecycleState { return this.current }

  /** True while Running (handshakes run, paths resolve against the listening URL). */
  get running (): boolean { return this.current === 'Running' }

  /** Starting → Running. */
  started (): void {
    if (this.current !== 'Starting') throw new LifecycleError(this.current, 'Running', this.what)
    this.current = 'Running'
  }

  /** Throws the 503 publishers get once shutdown has begun. */
  assertAccepting (): void {
    const refusal = this.refusal()
    if (refusal !== undefined) throw refusal
  }

  /** The error for a publish in this state, or undefined while events are accepted. */
  refusal (): EmulatorError | undefined {
    if (this.current === 'Closing') return serviceUnavailable('The emulator is shutting down and accepts no more events.')
    if (this.current === 'Closed') return serviceUnavailable('The emulator is closed and accepts no more events.')
    return undefined
  }

  /**
   * Runs the shutdown once (→ Closing, then → Closed when `shutdown` settles, even if it fails). Every later call
   * gets the same promise, so it resolves only when the first shutdown is complete.
   */
  async close<T> (shutdown: () => Promise<T>): Promise<T> {
    if (this.closing === undefined) {
      this.current = 'Closing'
      this.closing = (async () => {
        try { return await shutdown() } finally { this.current = 'Closed' }
      })()
    }
    return await (this.closing as Promise<T>)
  }
}
