/**
 * The journal on disk: an append-only file of framed records behind a version header.
 *
 *   header  = "EGEMJRNL" (8 bytes) + format version (u32 LE)
 *   record  = payload length (u32 LE) + CRC-32 of the payload (u32 LE) + payload (UTF-8 JSON)
 *
 * A crash mid-write leaves at most a torn last record: reading stops there, warns and truncates it. Damage before
 * the last record, another magic or another version is refused with the file, the offset or the versions named:
 * a journal is never misread. Appending (with group commit) is journal-appender.ts.
 */
import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { journalUnreadable } from '../errors.js'
import { crc32 } from './crc32.js'

export const JOURNAL_MAGIC = 'EGEMJRNL'
export const JOURNAL_VERSION = 1
export const HEADER_BYTES = 12
const FRAME_BYTES = 8
/** No record is this large; a bigger length field is damage, not a record. */
const MAX_RECORD_BYTES = 1024 * 1024 * 1024

export function encodeHeader (version = JOURNAL_VERSION): Buffer {
  const b = Buffer.alloc(HEADER_BYTES)
  b.write(JOURNAL_MAGIC, 0, 'latin1')
  b.writeUInt32LE(version, 8)
  return b
}

export function encodeRecord (entry: unknown): Buffer {
  // The JSON is written straight into the frame: one buffer, no copy.
  const json = JSON.stringify(entry)
  const length = Buffer.byteLength(json, 'utf8')
  const frame = Buffer.allocUnsafe(FRAME_BYTES + length)
  frame.write(json, FRAME_BYTES, 'utf8')
  frame.writeUInt32LE(length, 0)
  frame.writeUInt32LE(crc32(frame.subarray(FRAME_BYTES)), 4)
  return frame
}

export interface ReadResult {
  entries: unknown[]
  /** Bytes of valid journal (header + whole records); anything after it was torn. */
  validBytes: number
  /** Set when a torn last record was found (and, for readJournalFile, truncated). */
  torn?: { offset: number, bytes: number }
}

/**
 * Decodes a journal's bytes. `file` only names the journal in errors. An empty buffer (or a header cut short by a
 * crash during creation) reads as an empty journal.
 */
export function decodeJournal (data: Buffer, file: string): ReadResult {
  if (data.length < HEADER_BYTES) {
    if (encodeHeader().subarray(0, data.length).equals(data)) return { entries: [], validBytes: 0, ...(data.length > 0 ? { torn: { offset: 0, bytes: data.length } } : {}) }
    throw journalUnreadable(`${file} is not an eventgrid-emulator journal (it does not start with ${JOURNAL_MAGIC}). Move it away, or start with --fresh to discard it.`)
  }
  const magic = data.subarray(0, 8).toString('latin1')
  if (magic !== JOURNAL_MAGIC) throw journalUnreadable(`${file} is not an eventgrid-emulator journal (it starts with ${JSON.stringify(magic)}, not ${JOURNAL_MAGIC}). Move it away, or start with --fresh to discard it.`)
  const version = data.readUInt32LE(8)
  if (version !== JOURNAL_VERSION) {
    throw journalUnreadable(`${file} is a journal of format version ${version}; this eventgrid-emulator reads version ${JOURNAL_VERSION} only. Use the emulator version that wrote it, or start with --fresh to discard it (pending deliveries in it are then lost).`)
  }
  const entries: unknown[] = []
  let offset = HEADER_BYTES
  while (offset < data.length) {
    const rest = data.length - offset
    const length = rest >= 4 ? data.readUInt32LE(offset) : -1
    const end = offset + FRAME_BYTES + length
    // Cut short: the frame or the payload did not make it to disk before the crash.
    if (rest < FRAME_BYTES || length > MAX_RECORD_BYTES || end > data.length) return { entries, validBytes: offset, torn: { offset, bytes: rest } }
    let entry: unknown
    const intact = crc32(data.subarray(offset + FRAME_BYTES, end)) === data.readUInt32LE(offset + 4)
    if (intact) {
      try { entry = JSON.parse(data.toString('utf8', offset + FRAME_BYTES, end)) } catch { entry = undefined }
    }
    if (!intact || entry === undefined) {
      // The last record may be garbage after a crash (the length landed, the payload did not); damage with whole
      // records after it is not a crash's doing, and skipping it would replay a wrong state.
      if (end === data.length) return { entries, validBytes: offset, torn: { offset, bytes: rest } }
      throw journalUnreadable(`${file} is damaged at byte ${offset} (a record fails its checksum and ${data.length - end} bytes of records follow it). Move it away, or start with --fresh to discard it.`)
    }
    // A group commit is one record holding an array of entries (entries themselves are objects).
    if (Array.isArray(entry)) { for (const e of entry) entries.push(e) } else entries.push(entry)
    offset = end
  }
  return { entries, validBytes: offset }
}

/** Reads a journal file (missing = empty) and truncates a torn last record so appends continue from valid data. */
export function readJournalFile (file: string): ReadResult {
  let data: Buffer
  try {
    data = readFileSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], validBytes: 0 }
    throw err
  }
  const result = decodeJournal(data, file)
  if (result.torn !== undefined) {
    const fd = openSync(file, 'r+')
    try { ftruncateSync(fd, result.validBytes); fdatasyncSync(fd) } finally { closeSync(fd) }
  }
  return result
}

/**
 * Writes a whole journal (header + entries) to `file` atomically: a temp file, fsync, rename over, fsync of the
 * directory (so the rename itself survives a power loss). Returns the bytes written.
 */
export function writeJournalAtomically (file: string, entries: Iterable<unknown>): number {
  const tmp = `${file}.tmp`
  const fd = openSync(tmp, 'w')
  let bytes = 0
  try {
    // Entries go out in records of up to 1000: far fewer frames and checksums than one per entry.
    let group: unknown[] = []
    const flush = (): void => {
      if (group.length === 0) return
      const b = encodeRecord(group)
      writeAll(fd, b)
      bytes += b.length
      group = []
    }
    const header = encodeHeader()
    writeAll(fd, header)
    bytes += header.length
    for (const entry of entries) {
      group.push(entry)
      if (group.length === 1000) flush()
    }
    flush()
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
  syncDir(dirname(file))
  return bytes
}

function writeAll (fd: number, b: Buffer): void {
  let off = 0
  while (off < b.length) off += writeSync(fd, b, off, b.length - off)
}

function syncDir (dir: string): void {
  // Directories cannot be opened for fsync on Windows; there the rename is as durable as NTFS makes it.
  if (process.platform === 'win32') return
  const fd = openSync(dir, 'r')
  try { fsyncSync(fd) } finally { closeSync(fd) }
}
