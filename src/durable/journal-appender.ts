/**
 * Appends to an open journal with group commit: everything appended while a write is under way goes out in the next
 * single write + fdatasync, and each caller awaits the commit that carries its records. A group is one framed record
 * (a JSON array of entries): it is on disk whole or, torn by a crash, not at all. Before a group write the
 * owner may ask for a compaction, which replaces the file with a snapshot that already covers that group.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { encodeRecord, HEADER_BYTES, writeJournalAtomically } from './journal-file.js'

interface Batch { entries: unknown[], done: Promise<void>, resolve: () => void, reject: (err: Error) => void }

function newBatch (): Batch {
  let resolve!: () => void
  let reject!: (err: Error) => void
  const done = new Promise<void>((_resolve, _reject) => { resolve = _resolve; reject = _reject })
  // Nobody may be waiting for this batch (a record that no response depends on); the failure is logged by the owner.
  done.catch(() => {})
  return { entries: [], done, resolve, reject }
}

export interface AppenderOptions {
  /** Called before each group write: returning entries replaces the whole file with them (compaction). */
  compactWith?: () => Iterable<unknown> | undefined
  /** A write or fsync failed: the records of that batch are not durable (their waiters get the error too). */
  onError?: (err: Error) => void
  /** Counts group commits (tests and the bench look at it). */
  onCommit?: (records: number, bytes: number) => void
}

/** Appends records to an open journal with group commit. One per journal file; not for concurrent processes. */
export class JournalAppender {
  private pending: Batch | undefined
  private writing: Promise<void> | undefined
  private handle: FileHandle | undefined
  private closed = false
  /** Current file size in bytes (header included). */
  size: number

  private constructor (private readonly file: string, size: number, private readonly opts: AppenderOptions) {
    this.size = size
  }

  /** Opens `file` for appending; writes a header first when it is empty (after a fresh start or a torn header). */
  static async open (file: string, validBytes: number, opts: AppenderOptions = {}): Promise<JournalAppender> {
    if (validBytes === 0) writeJournalAtomically(file, [])
    const a = new JournalAppender(file, Math.max(validBytes, HEADER_BYTES), opts)
    a.handle = await open(file, 'a')
    return a
  }

  /** Queues an entry for the next group commit. Synchronous: the caller's order is the journal's order. */
  append (entry: unknown): void {
    if (this.closed) return
    if (this.pending === undefined) this.pending = newBatch()
    this.pending.entries.push(entry)
    if (this.writing === undefined) this.writing = this.drain()
  }

  /** Starts a commit even with nothing appended (so a due compaction happens now). */
  commitSoon (): void {
    if (this.closed) return
    if (this.pending === undefined) this.pending = newBatch()
    if (this.writing === undefined) this.writing = this.drain()
  }

  /** Resolves once everything appended so far is on disk (written and fdatasync'ed). */
  async durable (): Promise<void> {
    const batch = this.pending
    if (batch !== undefined) { await batch.done; return }
    if (this.writing !== undefined) await this.writing
  }

  /** Writes batches until none is pending. One write + one fdatasync per batch, however many records it holds. */
  private async drain (): Promise<void> {
    // Let the current turn of the event loop (other requests parsed in the same tick) add to this batch.
    await new Promise<void>((resolve) => setImmediate(resolve))
    try {
      while (this.pending !== undefined && !this.closed) {
        const batch = this.pending
        const records = batch.entries.length
        this.pending = undefined
        try {
          const snapshot = this.opts.compactWith?.()
          if (snapshot !== undefined) {
            // The snapshot covers this batch (the state already holds it): the old file is replaced, not appended to.
            await this.handle?.close()
            this.handle = undefined
            this.size = writeJournalAtomically(this.file, snapshot)
            this.handle = await open(this.file, 'a')
            this.opts.onCommit?.(records, 0)
          } else if (records > 0) {
            // Encoded here, once per group, not per entry on the request path.
            const data = encodeRecord(batch.entries)
            await this.handle!.write(data, 0, data.length)
            await this.handle!.datasync()
            this.size += data.length
            this.opts.onCommit?.(records, data.length)
          }
          batch.resolve()
        } catch (err) {
          // A write cut short (disk full) would leave a torn record in the middle once later writes succeed, and
          // the next start would refuse the journal as damaged: cut the file back to its last whole record.
          await this.handle?.truncate(this.size).catch(() => {})
          this.opts.onError?.(err as Error)
          batch.reject(err as Error)
        }
      }
    } finally {
      this.writing = undefined
      if (this.pending !== undefined && !this.closed) this.writing = this.drain()
    }
  }

  /** Commits what is pending, then closes the file. */
  async close (): Promise<void> {
    await this.durable().catch(() => {})
    this.closed = true
    await this.handle?.close()
    this.handle = undefined
  }
}
