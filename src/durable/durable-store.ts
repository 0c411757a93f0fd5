/**
 * Durable mode's store: the journal file under the data dir, the state it means, and the hooks the emulator calls
 * as events are accepted, queued, attempted and settled. Opening it replays the journal; the emulator then
 * restores what it finds (pending batches, runtime subscriptions, history, the dead-letter listing).
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { DeadLetterEntry } from '../delivery/dead-letter-store.js'
import { plainRecord, type DeliveryRecord } from '../delivery/delivery-log.js'
import type { AcceptedEvent } from '../domain/events.js'
import { DurableState, type HistoryRecord, type JournalEntry, type StateBounds, type SubRef } from './durable-state.js'
import { JournalAppender } from './journal-appender.js'
import { readJournalFile } from './journal-file.js'

export const JOURNAL_FILE = 'journal.egj'

export interface DurableLogger {
  info: (o: object, m: string) => void
  warn: (o: object, m: string) => void
  error: (o: object, m: string) => void
}

export interface DurableOptions {
  /** The data dir; the journal is `<dir>/journal.egj`. */
  dir: string
  bounds: StateBounds
  /** Discard the journal before starting (`serve --fresh`). */
  fresh?: boolean
  logger?: DurableLogger
  /** Compact when the file is this many times the size of the last compacted journal (default 4)... */
  compactRatio?: number
  /** ...and at least this big (default 16 MiB), so a small journal is not rewritten over and over. */
  compactMinBytes?: number
}

export interface OpenSummary { file: string, entries: number, tornBytes: number, liveEvents: number, livePairs: number, ms: number }

const SILENT: DurableLogger = { info: () => {}, warn: () => {}, error: () => {} }

export class DurableStore {
  readonly state: DurableState
  private readonly seqs = new WeakMap<AcceptedEvent, number>()
  private appender!: JournalAppender
  private baseSize = 0
  private forceCompact = false
  private shuttingDown = false
  private paused = false
  /** Group commits done (tests: many concurrent appends share one). */
  commits = 0
  private readonly ratio: number
  private readonly minBytes: number
  private readonly log: DurableLogger

  private constructor (readonly file: string, opts: DurableOptions) {
    this.state = new DurableState(opts.bounds)
    this.ratio = opts.compactRatio ?? 4
    this.minBytes = opts.compactMinBytes ?? 16 * 1024 * 1024
    this.log = opts.logger ?? SILENT
  }

  /** Reads (and repairs a torn end of) the journal, rebuilds the state, and opens the file for appending. */
  static async open (opts: DurableOptions): Promise<{ store: DurableStore, summary: OpenSummary }> {
    const started = Date.now()
    mkdirSync(opts.dir, { recursive: true })
    const file = join(opts.dir, JOURNAL_FILE)
    if (opts.fresh === true) rmSync(file, { force: true })
    const store = new DurableStore(file, opts)
    const read = readJournalFile(file)
    if (read.torn !== undefined) {
      store.log.warn({ file, offset: read.torn.offset, bytes: read.torn.bytes }, 'journal: a torn last record (the process stopped mid-write) was skipped and truncated')
    }
    for (const entry of read.entries) store.state.apply(entry as JournalEntry)
    store.appender = await JournalAppender.open(file, read.validBytes, {
      compactWith: () => store.compactionDue() ? store.state.snapshot() : undefined,
      onCommit: (_records, bytes) => { store.commits++; if (bytes === 0) store.baseSize = store.appender.size },
      onError: (err) => { store.log.error({ file, err: err.message }, 'journal: a write failed; the events of that write are not durable') }
    })
    store.baseSize = store.appender.size
    const summary = { file, entries: read.entries.length, tornBytes: read.torn?.bytes ?? 0, liveEvents: store.state.liveEvents, livePairs: store.state.livePairs, ms: Date.now() - started }
    return { store, summary }
  }

  private compactionDue (): boolean {
    if (this.forceCompact) { this.forceCompact = false; return true }
    return this.appender.size > this.minBytes && this.appender.size > this.ratio * this.baseSize
  }

  /** Rewrites the journal as the current state at the next commit (after a restore, after a reset). */
  compactSoon (): void { this.forceCompact = true; this.appender.commitSoon() }

  private append (entry: JournalEntry): void {
    if (this.paused) return
    this.state.apply(entry)
    this.appender.append(entry)
  }

  /** Restoring replays into the engine what the journal already says: nothing is appended meanwhile. */
  pause (): void { this.paused = true }
  resume (): void { this.paused = false }

  seqOf (event: AcceptedEvent): number | undefined { return this.seqs.get(event) }
  /** Ties a restored event object to its journal number. */
  register (seq: number, event: AcceptedEvent): void { this.seqs.set(event, seq) }

  private number (events: readonly AcceptedEvent[]): number[] {
    const fresh: Array<[number, AcceptedEvent]> = []
    const out = events.map((e) => {
      let n = this.seqs.get(e)
      if (n === undefined) { n = this.state.nextSeq++; this.seqs.set(e, n); fresh.push([n, e]) }
      return n
    })
    if (fresh.length > 0) this.append({ k: 'a', ev: fresh })
    return out
  }

  /** Events handed to a subscription's queue: from now on that subscription owes them an outcome. */
  enqueued (sub: SubRef, events: readonly AcceptedEvent[]): void {
    if (this.paused || this.shuttingDown || events.length === 0) return
    this.append({ k: 'q', s: sub, n: this.number(events) })
  }

  /**
   * A delivery record. NotMatched is not kept (the listing would be mostly those, and they change no state). While
   * shutting down, the drops of pending work are not kept either: that work is exactly what the next start resumes.
   */
  recorded (sub: SubRef, events: readonly AcceptedEvent[], record: DeliveryRecord): void {
    if (this.paused || record.outcome === 'NotMatched') return
    if (this.shuttingDown && record.outcome !== 'Delivered' && record.outcome !== 'DeadLettered') return
    // The engine's records are compact (times and ids made when read): their plain form, copied without `seq`.
    // Topic and subscription are the entry's `s` already: not written twice.
    const { seq: _seq, topic: _topic, subscription: _subscription, ...r } = plainRecord(record) as HistoryRecord & { seq: number }
    const n: number[] = []
    for (const e of events) { const k = this.seqs.get(e); if (k !== undefined) n.push(k) }
    this.append({ k: 'r', s: sub, n, r: r as HistoryRecord })
  }

  // Also while shutting down: an attempt that ends in the grace writes its file, and the listing must show it.
  deadLettered (entry: DeadLetterEntry): void { this.append({ k: 'd', e: entry }) }
  subscriptionPut (sub: SubRef, body: unknown): void { this.append({ k: 'sp', s: sub, body }) }
  subscriptionDeleted (sub: SubRef): void { this.append({ k: 'sd', s: sub }) }

  /** POST /admin/reset: the journal keeps only the runtime subscriptions. */
  reset (): void {
    this.append({ k: 'x' })
    this.compactSoon()
  }

  /** Resolves when everything recorded so far is on disk; rejects if writing it failed. */
  async durable (): Promise<void> { await this.appender.durable() }

  /** From now on, drops of pending work are not journaled (graceful shutdown keeps them for the next start). */
  beginShutdown (): void { this.shuttingDown = true }

  get size (): number { return this.appender.size }

  async close (): Promise<void> { await this.appender.close() }
}
