/**
 * The journal file: framing with length + CRC, a torn last record skipped and truncated, damage and foreign
 * versions refused by name, group commit, and compaction that keeps the file near the size of the live state.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { crc32, tableCrc32 } from '../../src/durable/crc32.js'
import { DurableStore, JOURNAL_FILE } from '../../src/durable/durable-store.js'
import { JournalAppender } from '../../src/durable/journal-appender.js'
import { decodeJournal, encodeHeader, encodeRecord, readJournalFile, writeJournalAtomically } from '../../src/durable/journal-file.js'
import type { AcceptedEvent } from '../../src/domain/events.js'
import type { DeliveryRecord } from '../../src/delivery/delivery-log.js'

const BOUNDS = { historyRecords: 1000, historyBytes: 1024 * 1024, deadLetterEntries: 100, deadLetterBytes: 1024 * 1024 }

function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'eg-journal-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

function event (id: string, publishTime = '2026-01-01T00:00:00.000Z'): AcceptedEvent {
  return { inputSchema: 'EventGridSchema', id, type: 'Demo', publishTime, eventGrid: { id, subject: 's', eventType: 'Demo', eventTime: publishTime, data: { id } } }
}

function rec (outcome: DeliveryRecord['outcome'], ids: string[], extra: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return { seq: 1, time: '2026-01-01T00:00:00.000Z', topic: 't', subscription: 's', eventIds: ids, outcome, ...extra }
}

t.test('the table CRC and the native one agree (the check value of CRC-32 is cbf43926)', async (t) => {
  const check = Buffer.from('123456789')
  t.equal(tableCrc32(check), 0xcbf43926)
  t.equal(crc32(check), 0xcbf43926)
  const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff))
  t.equal(crc32(random), tableCrc32(random))
})

t.test('records round-trip through the framing', async (t) => {
  const entries = [{ k: 'a', n: 1 }, { k: 'x' }, { text: 'ünïcode ✓', nested: { a: [1, 2, 3] } }]
  const data = Buffer.concat([encodeHeader(), ...entries.map((e) => encodeRecord(e))])
  const read = decodeJournal(data, 'j')
  t.same(read.entries, entries)
  t.equal(read.validBytes, data.length)
  t.equal(read.torn, undefined)
  t.same(decodeJournal(Buffer.alloc(0), 'j'), { entries: [], validBytes: 0 }, 'an empty file is an empty journal')
})

t.test('a torn last record is skipped, reported and truncated; appends continue after the last whole record', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'j.egj')
  writeJournalAtomically(file, [{ n: 1 }, { n: 2 }])
  const whole = statSync(file).size
  for (const cut of [1, 5, 8, 12]) {
    // A third record of which only `cut` bytes reached the disk.
    writeFileSync(file, Buffer.concat([readFileSync(file).subarray(0, whole), encodeRecord({ n: 3, pad: 'x'.repeat(20) }).subarray(0, cut)]))
    const read = readJournalFile(file)
    t.same(read.entries, [{ n: 1 }, { n: 2 }], `cut after ${cut} bytes`)
    t.same(read.torn, { offset: whole, bytes: cut })
    t.equal(statSync(file).size, whole, 'the torn bytes are gone from the file')
  }
  // A whole-length last record whose payload is garbage (the length landed, the payload did not) is torn too.
  const bad = encodeRecord({ n: 3 })
  bad[bad.length - 2] = bad[bad.length - 2]! ^ 0xff
  appendFileSync(file, bad)
  t.same(readJournalFile(file).entries, [{ n: 1 }, { n: 2 }])
  const appender = await JournalAppender.open(file, whole)
  appender.append({ n: 4 })
  await appender.durable()
  await appender.close()
  t.same(readJournalFile(file).entries, [{ n: 1 }, { n: 2 }, { n: 4 }])
})

t.test('damage before the last record, a foreign file and another version are refused, naming file, offset and versions', async (t) => {
  const good = Buffer.concat([encodeHeader(), encodeRecord({ n: 1 }), encodeRecord({ n: 2 })])
  const damaged = Buffer.from(good)
  damaged[12 + 8] = damaged[12 + 8]! ^ 0xff // first payload byte of the first record
  t.throws(() => decodeJournal(damaged, '/data/journal.egj'), { name: 'EmulatorError', detailCode: 'JournalUnreadable', message: /\/data\/journal\.egj is damaged at byte 12 .*--fresh/ })
  t.throws(() => decodeJournal(Buffer.from('{"hello":"world"}\n'), '/data/journal.egj'), { message: /\/data\/journal\.egj is not an eventgrid-emulator journal \(it starts with "\{\\"hello\\"", not EGEMJRNL\)/ })
  const v2 = Buffer.concat([encodeHeader(2), encodeRecord({ n: 1 })])
  t.throws(() => decodeJournal(v2, '/data/journal.egj'), { message: '/data/journal.egj is a journal of format version 2; this eventgrid-emulator reads version 1 only. Use the emulator version that wrote it, or start with --fresh to discard it (pending deliveries in it are then lost).' })
  t.throws(() => decodeJournal(Buffer.from('XY'), 'short'), { message: /short is not an eventgrid-emulator journal/ })
  t.same(decodeJournal(encodeHeader().subarray(0, 5), 'j').entries, [], 'a header cut short by a crash reads as empty')
})

t.test('group commit: many concurrent appends share a few writes, and each waiter sees its record on disk', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'j.egj')
  let commits = 0
  const appender = await JournalAppender.open(file, 0, { onCommit: () => { commits++ } })
  const waits: Array<Promise<void>> = []
  for (let i = 0; i < 1000; i++) {
    appender.append({ i })
    waits.push(appender.durable())
  }
  await Promise.all(waits)
  t.equal(commits, 1, '1000 appends in one tick: one write and one fdatasync')
  t.equal(readJournalFile(file).entries.length, 1000)
  // Appends while a commit is under way go together in the next one.
  const more: Array<Promise<void>> = []
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 100; i++) { appender.append({ round, i }); more.push(appender.durable()) }
    await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(more)
  t.ok(commits <= 6, `500 more appends over 5 ticks took ${commits - 1} commits`)
  await appender.close()
  t.equal(readJournalFile(file).entries.length, 1500)
})

t.test('the store replays what it journaled: pending pairs with attempts and due time, history, dead letters, runtime subscriptions', async (t) => {
  const dir = tempDir(t)
  const { store } = await DurableStore.open({ dir, bounds: BOUNDS })
  const [a, b, c] = [event('a'), event('b'), event('c')]
  store.enqueued(['t', 'hook'], [a, b, c])
  store.enqueued(['t', 'other'], [a])
  store.recorded(['t', 'hook'], [a], rec('Delivered', ['a'], { attempt: 1, status: 200 }))
  store.recorded(['t', 'hook'], [b], rec('Failed', ['b'], { attempt: 2, status: 500, nextAttemptTime: '2026-01-01T00:01:00.000Z' }))
  store.recorded(['t', 'hook'], [c], rec('NotMatched', ['c']))
  store.deadLettered({ topic: 't', subscription: 'hook', container: 'dl', path: 'dl/HOOK/x.json', reason: 'MaxDeliveryAttemptsExceeded', eventIds: ['z'], time: '2026-01-01T00:00:00.000Z', events: [{}] })
  store.subscriptionPut(['t', 'runtime'], { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://x' } } })
  store.subscriptionDeleted(['t', 'gone'])
  await store.durable()
  await store.close()

  const { store: again, summary } = await DurableStore.open({ dir, bounds: BOUNDS })
  t.equal(summary.liveEvents, 3)
  t.equal(summary.livePairs, 3, 'a→other, b→hook (retry), c→hook (queued)')
  const batches = again.state.pendingBatches().map((x) => ({ sub: x.sub, ids: x.events.map(([, e]) => e.id), attempts: x.attempts, due: x.due }))
  t.same(batches.sort((x, y) => x.ids.join().localeCompare(y.ids.join())), [
    { sub: ['t', 'other'], ids: ['a'], attempts: 0, due: undefined },
    { sub: ['t', 'hook'], ids: ['b'], attempts: 2, due: Date.parse('2026-01-01T00:01:00.000Z') },
    { sub: ['t', 'hook'], ids: ['c'], attempts: 0, due: undefined }
  ])
  t.same(again.state.historyRecords().map((r) => r.outcome), ['Delivered', 'Failed'], 'NotMatched is not journaled')
  t.equal(again.state.deadLetterEntries()[0]?.path, 'dl/HOOK/x.json')
  t.same([...again.state.subscriptions.entries()], [['t\nruntime', { destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://x' } } }], ['t\ngone', null]])
  // New events number on from the replayed ones.
  const d = event('d')
  again.enqueued(['t', 'hook'], [d])
  t.equal(again.seqOf(d), 4)
  await again.close()
})

t.test('shutdown keeps pending work: its drops are not journaled, its deliveries are', async (t) => {
  const dir = tempDir(t)
  const { store } = await DurableStore.open({ dir, bounds: BOUNDS })
  const [a, b] = [event('a'), event('b')]
  store.enqueued(['t', 's'], [a, b])
  store.beginShutdown()
  store.recorded(['t', 's'], [a], rec('Dropped', ['a'], { reason: 'emulator shut down before delivery' }))
  store.recorded(['t', 's'], [b], rec('Delivered', ['b'], { attempt: 1 }))
  await store.close()
  const { store: again, summary } = await DurableStore.open({ dir, bounds: BOUNDS })
  t.equal(summary.livePairs, 1, 'a is still owed to s')
  await again.close()
})

t.test('compaction: the file tracks the live state, not the history, and replays to the same state', async (t) => {
  const dir = tempDir(t)
  const bounds = { ...BOUNDS, historyRecords: 50 }
  const { store } = await DurableStore.open({ dir, bounds, compactMinBytes: 64 * 1024, compactRatio: 2 })
  const keep = [event('keep-1'), event('keep-2')]
  store.enqueued(['t', 's'], keep)
  store.recorded(['t', 's'], [keep[0]!], rec('Failed', ['keep-1'], { attempt: 3, nextAttemptTime: '2026-01-01T01:00:00.000Z' }))
  let maxSize = 0
  for (let i = 0; i < 5000; i++) {
    const e = event(`e${i}`)
    store.enqueued(['t', 's'], [e])
    store.recorded(['t', 's'], [e], rec('Delivered', [`e${i}`], { attempt: 1, status: 200 }))
    if (i % 100 === 0) { await store.durable(); maxSize = Math.max(maxSize, store.size) }
  }
  await store.durable()
  const written = 5000 * 400
  t.ok(maxSize < 3 * 64 * 1024, `the file stayed small (max ${maxSize} bytes) though about ${written} bytes were journaled`)
  await store.close()
  const { store: again, summary } = await DurableStore.open({ dir, bounds })
  t.equal(summary.livePairs, 2)
  t.same(again.state.pendingBatches().map((b) => [b.events.map(([, e]) => e.id), b.attempts]).sort(), [[['keep-1'], 3], [['keep-2'], 0]])
  t.equal(again.state.historyRecords().length, 50, 'history is kept up to the bound')
  t.equal(again.state.historyRecords().at(-1)?.eventIds[0], 'e4999')
  await again.close()
})

t.test('reset empties the journal except runtime subscriptions; --fresh discards it', async (t) => {
  const dir = tempDir(t)
  const { store } = await DurableStore.open({ dir, bounds: BOUNDS })
  store.subscriptionPut(['t', 'r'], { x: 1 })
  store.enqueued(['t', 's'], [event('a')])
  store.reset()
  await store.durable()
  await store.close()
  const { store: again, summary } = await DurableStore.open({ dir, bounds: BOUNDS })
  t.equal(summary.livePairs, 0)
  t.equal(summary.entries, 1, 'the compacted journal holds only the subscription')
  t.equal(again.state.subscriptions.size, 1)
  await again.close()
  const { store: third, summary: fresh } = await DurableStore.open({ dir, bounds: BOUNDS, fresh: true })
  t.equal(fresh.entries, 0)
  await third.close()
  t.ok(statSync(join(dir, JOURNAL_FILE)).size > 0, 'a fresh journal has its header')
})
