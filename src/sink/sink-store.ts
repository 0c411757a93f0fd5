/**
 * The built-in recording webhook behind `/sink/{name}`: remembers what was POSTed so demos, scenarios and
 * tests can look at exactly what a receiver got. Bounded (config `limits.sink`): how many sinks, how many
 * requests per sink and how many body bytes in all; the oldest are forgotten first, and counted.
 */
import { DEFAULT_RESOURCE_LIMITS, type SinkLimits } from '../config/limits.js'
import { Fifo } from '../delivery/fifo.js'
import type { SinkStorage } from '../delivery/ports.js'

export interface SinkRequest {
  receivedAt: string
  method: string
  headers: Record<string, string>
  body: unknown
  /** What the sink answered. */
  status: number
}

/** One kept request; `gone` once forgotten by any of the bounds, so the global order can skip it. */
interface Kept { sink: string, request: SinkRequest, bytes: number, gone: boolean }

interface Sink { requests: Fifo<Kept>, forgotten: number }

export class SinkStore implements SinkStorage {
  private readonly sinks = new Map<string, Sink>()
  private readonly scripted = new Map<string, number[]>()
  /** Every kept request in arrival order, for forgetting the oldest when the byte total is exceeded. */
  private readonly order = new Fifo<Kept>()
  private live = 0
  private bytes = 0
  readonly limits: SinkLimits

  constructor (limits: Partial<SinkLimits> = {}) {
    this.limits = { ...DEFAULT_RESOURCE_LIMITS.sink, ...limits }
  }

  /** Status the next notification to `name` gets: the next scripted one, else 200. */
  nextStatus (name: string): number {
    const queue = this.scripted.get(name)
    return queue?.shift() ?? 200
  }

  /** Makes the sink answer notifications with these statuses in order, then 200 (for retry tests). */
  script (name: string, statuses: number[]): void { this.scripted.set(name, [...statuses]) }

  /** Keeps a request; `bytes` is the size of its body on the wire (estimated from the body when not given). */
  record (name: string, request: SinkRequest, bytes = estimateBytes(request.body)): void {
    let sink = this.sinks.get(name)
    if (sink === undefined) {
      sink = { requests: new Fifo(), forgotten: 0 }
    } else {
      this.sinks.delete(name) // re-inserted below: the Map's order is least recently written first
    }
    this.sinks.set(name, sink)
    const kept: Kept = { sink: name, request, bytes, gone: false }
    sink.requests.push(kept)
    this.order.push(kept)
    this.live++
    this.bytes += bytes
    while (sink.requests.length > this.limits.maxRequestsPerSink) this.forget(sink.requests.shift()!, sink)
    while (this.sinks.size > this.limits.maxSinks) this.dropSink(this.sinks.keys().next().value!)
    while (this.bytes > this.limits.maxTotalBytes && this.live > 1) {
      const oldest = this.order.shift()!
      if (oldest.gone) continue
      const owner = this.sinks.get(oldest.sink)!
      owner.requests.shift() // the oldest kept request overall is also the oldest of its sink
      this.forget(oldest, owner)
    }
    // Forgotten entries stay in `order` until reached; rebuild it when they outnumber the kept ones.
    if (this.order.length > 2 * this.live + 1024) this.compactOrder()
  }

  get (name: string): SinkRequest[] { return this.sinks.get(name)?.requests.toArray().map((k) => k.request) ?? [] }

  /** Requests of `name` forgotten because a bound was reached (reported by GET /sink/{name}). */
  forgotten (name: string): number { return this.sinks.get(name)?.forgotten ?? 0 }

  /** Bytes of bodies kept over all sinks, and how many sinks exist. */
  get usage (): { sinks: number, requests: number, bytes: number } { return { sinks: this.sinks.size, requests: this.live, bytes: this.bytes } }

  /** Sinks that received something, with their request counts (the dashboard's sink list). */
  names (): Array<{ name: string, requests: number }> { return [...this.sinks].map(([name, sink]) => ({ name, requests: sink.requests.length })) }

  clear (name?: string): void {
    if (name === undefined) {
      this.sinks.clear(); this.scripted.clear(); this.order.drain(); this.live = 0; this.bytes = 0
      return
    }
    if (this.sinks.has(name)) this.dropSink(name)
    this.scripted.delete(name)
  }

  private forget (kept: Kept, sink: Sink): void {
    if (kept.gone) return
    kept.gone = true
    sink.forgotten++
    this.live--
    this.bytes -= kept.bytes
  }

  private dropSink (name: string): void {
    const sink = this.sinks.get(name)!
    for (const kept of sink.requests.drain()) this.forget(kept, sink)
    this.sinks.delete(name)
  }

  private compactOrder (): void {
    const kept = this.order.drain().filter((k) => !k.gone)
    this.order.pushAll(kept)
  }
}

function estimateBytes (body: unknown): number {
  if (body === undefined) return 0
  if (typeof body === 'string') return Buffer.byteLength(body)
  try { return Buffer.byteLength(JSON.stringify(body)) } catch { return 0 }
}
