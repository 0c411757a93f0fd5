/**
 * Dead-letter "blobs" on the local disk, at the path Event Grid uses inside the container:
 * `<deadLetterDir>/<container>/<SUBSCRIPTION-UPPER>/<yyyy>/<M>/<d>/<H>/<uuid>.json` (UTC, not zero-padded).
 */
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Fifo } from './fifo.js'
import type { DeadLetterStorage } from './ports.js'

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

/**
 * The listing (GET /admin/dead-letters) is bounded in entries and in bytes of event bodies, oldest forgotten
 * first; the files on disk are kept, as blobs would be.
 */
export class DeadLetterStore implements DeadLetterStorage {
  private readonly entries = new Fifo<{ entry: DeadLetterEntry, bytes: number }>()
  private bytes = 0
  private readonly maxEntries: number
  private readonly maxBytes: number
  /** Sees every entry added to the listing (durable mode journals them). */
  onEntry: ((entry: DeadLetterEntry) => void) | undefined

  constructor (private readonly baseDir: string, bounds: { maxEntries?: number, maxBytes?: number } = {}) {
    this.maxEntries = bounds.maxEntries ?? 10_000
    this.maxBytes = bounds.maxBytes ?? 64 * 1024 * 1024
  }

  async write (args: { topic: string, subscription: string, container: string, reason: string, eventIds: string[], events: unknown[], now: Date }): Promise<DeadLetterEntry> {
    const d = args.now
    const rel = join(args.container, args.subscription.toUpperCase(), String(d.getUTCFullYear()), String(d.getUTCMonth() + 1),
      String(d.getUTCDate()), String(d.getUTCHours()), `${randomUUID()}.json`)
    const full = join(this.baseDir, rel)
    await mkdir(join(full, '..'), { recursive: true })
    const text = JSON.stringify(args.events, null, 2)
    await writeFile(full, text)
    const entry: DeadLetterEntry = { topic: args.topic, subscription: args.subscription, container: args.container, path: rel, reason: args.reason, eventIds: args.eventIds, time: d.toISOString(), events: args.events }
    this.remember(entry, text.length)
    return entry
  }

  /** Lists a dead letter written elsewhere (namespace subscriptions write their own format and path). */
  record (entry: DeadLetterEntry): void {
    this.remember(entry, JSON.stringify(entry.events).length)
  }

  private remember (entry: DeadLetterEntry, bytes: number): void {
    this.onEntry?.(entry)
    this.entries.push({ entry, bytes })
    this.bytes += bytes
    while (this.entries.length > 1 && (this.entries.length > this.maxEntries || this.bytes > this.maxBytes)) this.bytes -= this.entries.shift()!.bytes
  }

  list (filter: { subscription?: string, topic?: string } = {}): DeadLetterEntry[] {
    return this.entries.toArray().map((k) => k.entry).filter((e) =>
      (filter.topic === undefined || e.topic === filter.topic) &&
      (filter.subscription === undefined || e.subscription.toLowerCase() === filter.subscription.toLowerCase()))
  }

  clear (): void { this.entries.drain(); this.bytes = 0 }

  get directory (): string { return this.baseDir }
}
