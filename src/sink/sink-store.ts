/**
 * The built-in recording webhook behind `/sink/{name}`: remembers what was POSTed so demos, scenarios and
 * tests can look at exactly what a receiver got.
 */
export interface SinkRequest {
  receivedAt: string
  method: string
  headers: Record<string, string>
  body: unknown
  /** What the sink answered. */
  status: number
}

export class SinkStore {
  private readonly sinks = new Map<string, SinkRequest[]>()
  private readonly scripted = new Map<string, number[]>()

  constructor (private readonly maxPerSink = 10_000) {}

  /** Status the next notification to `name` gets: the next scripted one, else 200. */
  nextStatus (name: string): number {
    const queue = this.scripted.get(name)
    return queue?.shift() ?? 200
  }

  /** Makes the sink answer notifications with these statuses in order, then 200 (for retry tests). */
  script (name: string, statuses: number[]): void { this.scripted.set(name, [...statuses]) }

  record (name: string, request: SinkRequest): void {
    let list = this.sinks.get(name)
    if (list === undefined) { list = []; this.sinks.set(name, list) }
    list.push(request)
    if (list.length > this.maxPerSink) list.shift()
  }

  get (name: string): SinkRequest[] { return this.sinks.get(name) ?? [] }

  /** Sinks that received something, with their request counts (the dashboard's sink list). */
  names (): Array<{ name: string, requests: number }> { return [...this.sinks].map(([name, list]) => ({ name, requests: list.length })) }

  clear (name?: string): void {
    if (name === undefined) { this.sinks.clear(); this.scripted.clear(); return }
    this.sinks.delete(name)
    this.scripted.delete(name)
  }
}
