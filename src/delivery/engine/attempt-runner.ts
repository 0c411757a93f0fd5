/**
 * One attempt of one batch: build the request, refuse endpoints that loop back into this emulator, send it,
 * show it to the observer, and hand the result on. Keeps the in-flight counts (the only writer of `sub.inFlight`).
 */
import { buildOutbound } from '../../domain/delivery-rules/outbound.js'
import type { Clock, Transport, TransportResult } from '../ports.js'
import { selfLoopProblem } from '../self-loop.js'
import type { SubscriptionRuntime } from '../subscription.js'
import type { OutcomeRecorder } from './outcome-recorder.js'
import type { AttemptDetail, PendingBatch } from './types.js'

export interface AttemptRunnerOptions {
  clock: Clock
  transport: Transport
  recorder: OutcomeRecorder
  /** Response timeout per attempt (Event Grid: 30 s). Not scaled: it bounds a real HTTP exchange. */
  timeoutMs: number
  /** Base URL of this emulator, for endpoint URLs written as paths (`/sink/demo`). */
  baseUrl: () => string
  /** Base URLs of the topic, domain and namespace ports: publish endpoints too, so deliveries must not loop there. */
  ownPortUrls?: () => readonly string[]
  /** Sees every attempt as sent and answered. Must be cheap and must not throw. */
  onAttempt?: (attempt: AttemptDetail) => void
  /** The attempt ended with `result` (batch.attempts and what it keeps of the answer updated): decide what comes next. */
  settle: (batch: PendingBatch, startedAt: number, result: TransportResult) => void
  /** A connection of this subscription is free again. */
  slotFree: (sub: SubscriptionRuntime) => void
}

/** A self-loop verdict for one endpoint URL, valid while the emulator's own URLs are these very values. */
interface LoopVerdict { base: string, owns: readonly string[] | undefined, problem: string | undefined }

/** Verdicts kept; endpoints are few, the bound only guards against a URL per event. */
const MAX_LOOP_VERDICTS = 1024

export class AttemptRunner {
  private total = 0
  private readonly idleWaiters: Array<() => void> = []
  /** Endpoint URL → its self-loop verdict: the check parses two URLs per own port, once per endpoint is enough. */
  private readonly loopVerdicts = new Map<string, LoopVerdict>()

  constructor (private readonly opts: AttemptRunnerOptions) {}

  get inFlight (): number { return this.total }

  /** Resolves when no request is in flight. */
  async idle (): Promise<void> {
    if (this.total === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  resolveUrl (url: string): string {
    return url.startsWith('/') ? `${this.opts.baseUrl()}${url}` : url
  }

  async run (batch: PendingBatch): Promise<void> {
    const { sub } = batch
    const { clock, recorder } = this.opts
    let message: ReturnType<typeof buildOutbound>
    try {
      message = buildOutbound(batch.events, {
        subscriptionName: sub.name,
        deliverySchema: sub.deliverySchema,
        batching: sub.batching,
        attributeMappings: sub.body.destination.properties.deliveryAttributeMappings ?? []
      }, batch.attempts, batch.body)
      // Not kept for a retry: a batch may wait hours, and 100,000 waiting bodies would double the heap they take.
      // A retry serialises its events again (retries are the rare path; the first attempt used the sizing texts).
      batch.body = undefined
    } catch (err) {
      // No slotFree here: the pump loop that launched this attempt carries on (a call would recurse per event).
      recorder.fail(sub, batch.events, 'building the request', err)
      return
    }
    const url = this.resolveUrl(sub.endpointUrl)
    const loop = this.loopProblem(url)
    if (loop !== undefined) {
      recorder.record(sub, batch.events, { outcome: 'Dropped', reason: `endpoint ${loop}` })
      return
    }
    sub.inFlight++
    this.total++
    const started = clock.now()
    let result: TransportResult
    try {
      result = await this.opts.transport.send({ method: 'POST', url, headers: message.headers, body: message.body, timeoutMs: this.opts.timeoutMs })
    } catch (err) {
      // A transport is not supposed to throw; if one does, the attempt failed like a broken connection would.
      result = { headers: {}, error: 'SocketError', errorMessage: (err as Error).message, durationMs: clock.now() - started }
    } finally {
      sub.inFlight--
      this.total--
    }
    batch.attempts++
    if (this.opts.onAttempt !== undefined) {
      // The wire detail is for people looking; it must never cost the delivery its outcome.
      try {
        this.opts.onAttempt({ topic: sub.topic, subscription: sub.name, eventIds: batch.events.map((e) => e.id), attempt: batch.attempts, startedAt: started, request: { method: 'POST', url, headers: message.headers, body: message.body }, result })
      } catch { /* the observer reports its own errors */ }
    }
    // What the batch keeps of the answer: what a dead-letter record reads. A batch may wait hours for its retry; the
    // response's headers, up to 64 KiB of its body and its timings are not kept that long (settle gets them once).
    batch.lastStatus = result.status
    batch.lastError = result.error
    batch.lastAttemptAt = clock.now()
    try {
      this.opts.settle(batch, started, result)
    } catch (err) {
      recorder.fail(sub, batch.events, 'recording the attempt', err)
    }
    if (this.total === 0) for (const w of this.idleWaiters.splice(0)) w()
    this.opts.slotFree(sub)
  }

  /**
   * Why `url` would loop back into this emulator, or undefined. Worked out again whenever the base URL or the list
   * of own port URLs is another value than when it was last worked out (the list is replaced, never changed in place).
   */
  private loopProblem (url: string): string | undefined {
    const base = this.opts.baseUrl()
    const owns = this.opts.ownPortUrls?.()
    const known = this.loopVerdicts.get(url)
    if (known !== undefined && known.base === base && known.owns === owns) return known.problem
    const problem = [base, ...(owns ?? [])].map((own) => selfLoopProblem(url, own)).find((p) => p !== undefined)
    if (this.loopVerdicts.size >= MAX_LOOP_VERDICTS) this.loopVerdicts.clear()
    this.loopVerdicts.set(url, { base, owns, problem })
    return problem
  }
}
