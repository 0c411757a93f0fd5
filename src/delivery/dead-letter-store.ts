/**
 * Dead-letter "blobs" on the local disk, at the path Event Grid uses inside the container:
 * `<deadLetterDir>/<container>/<SUBSCRIPTION-UPPER>/<yyyy>/<M>/<d>/<H>/<uuid>.json` (UTC, not zero-padded).
 */
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface DeadLetterEntry {
  topic: string
  subscription: string
  container: string
  /** Path relative to deadLetterDir. */
  path: string
  reason: string
  eventIds: string[]
  time: string
  events: unknown[]
}

export class DeadLetterStore {
  private readonly entries: DeadLetterEntry[] = []

  constructor (private readonly baseDir: string, private readonly maxListed = 10_000) {}

  async write (args: { topic: string, subscription: string, container: string, reason: string, eventIds: string[], events: unknown[], now: Date }): Promise<DeadLetterEntry> {
    const d = args.now
    const rel = join(args.container, args.subscription.toUpperCase(), String(d.getUTCFullYear()), String(d.getUTCMonth() + 1),
      String(d.getUTCDate()), String(d.getUTCHours()), `${randomUUID()}.json`)
    const full = join(this.baseDir, rel)
    await mkdir(join(full, '..'), { recursive: true })
    await writeFile(full, JSON.stringify(args.events, null, 2))
    const entry: DeadLetterEntry = { topic: args.topic, subscription: args.subscription, container: args.container, path: rel, reason: args.reason, eventIds: args.eventIds, time: d.toISOString(), events: args.events }
    this.entries.push(entry)
    if (this.entries.length > this.maxListed) this.entries.shift()
    return entry
  }

  /** Lists a dead letter written elsewhere (namespace subscriptions write their own format and path). */
  record (entry: DeadLetterEntry): void {
    this.entries.push(entry)
    if (this.entries.length > this.maxListed) this.entries.shift()
  }

  list (filter: { subscription?: string, topic?: string } = {}): DeadLetterEntry[] {
    return this.entries.filter((e) =>
      (filter.topic === undefined || e.topic === filter.topic) &&
      (filter.subscription === undefined || e.subscription.toLowerCase() === filter.subscription.toLowerCase()))
  }

  clear (): void { this.entries.length = 0 }

  get directory (): string { return this.baseDir }
}
