/**
 * A real consumer's view: every generated event, as an Event Grid batch and converted to CloudEvents,
 * goes through the official SDK's EventGridDeserializer and isSystemEvent (@azure/eventgrid 5.12).
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { EventGridDeserializer, isSystemEvent } from '@azure/eventgrid'
import t from 'tap'
import { generateAcsEvent, generateAcsSequence, listAcsEventTypes, listAcsSequences } from '../../src/domain/acs/index.js'
import { toCloudEvent } from '../../src/domain/convert.js'

interface JsonEntry { eventType: string; sdk: { inSystemEventMap: boolean; systemEventMapKey: string | null } }
const CATALOG = JSON.parse(readFileSync(new URL('../../data/acs-events.json', import.meta.url), 'utf8')) as JsonEntry[]
const SDK_KEY = new Map(CATALOG.map((e) => [e.eventType, e.sdk.systemEventMapKey]))
const ctx = {
  topic: '/subscriptions/3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d/resourcegroups/rg/providers/microsoft.communication/communicationservices/acs',
  now: () => new Date(),
  newGuid: () => randomUUID()
}
const EXPIRED = 'Microsoft.Communication.RouterJobWorkerSelectorsExpired'
// isSystemEvent is typed to the SDK's known keys; unmapped types are checked the way JS consumers would.
const isSystem = isSystemEvent as (type: string, event: unknown) => boolean

const events = listAcsEventTypes().map((info) => generateAcsEvent(info.eventType, {}, ctx))
const deserializer = new EventGridDeserializer()

t.test('deserializeEventGridEvents accepts every type as one JSON batch, data unchanged', async (t) => {
  const parsed = await deserializer.deserializeEventGridEvents(JSON.stringify(events))
  t.equal(parsed.length, 56)
  parsed.forEach((p, i) => {
    const e = events[i]!
    t.same(p.data, e.data, `${e.eventType} data deep-equal`)
    t.equal(p.id, e.id)
    t.equal(p.subject, e.subject)
    t.equal(p.topic, e.topic)
    t.equal(p.eventType, e.eventType)
    t.ok(p.eventTime instanceof Date && !Number.isNaN(p.eventTime.getTime()), `${e.eventType} eventTime parses`)
  })
})

t.test('deserializeCloudEvents accepts every type converted with toCloudEvent', async (t) => {
  const parsed = await deserializer.deserializeCloudEvents(JSON.stringify(events.map(toCloudEvent)))
  t.equal(parsed.length, 56)
  parsed.forEach((p, i) => {
    const e = events[i]!
    t.same(p.data, e.data, `${e.eventType} data deep-equal`)
    t.equal(p.type, e.eventType)
    t.equal(p.source, e.topic)
    t.equal(p.subject, e.subject)
    t.ok(p.time instanceof Date && !Number.isNaN(p.time.getTime()))
  })
})

t.test('isSystemEvent recognises every type under its SDK key (both schemas)', async (t) => {
  // The deserializer also takes already-parsed arrays (typed as a record in the SDK).
  const egEvents = await deserializer.deserializeEventGridEvents(events as unknown as Record<string, unknown>)
  const ceEvents = await deserializer.deserializeCloudEvents(events.map(toCloudEvent) as unknown as Record<string, unknown>)
  egEvents.forEach((eg, i) => {
    const type = events[i]!.eventType
    const ce = ceEvents[i]!
    const key = SDK_KEY.get(type) ?? type
    if (type === EXPIRED) {
      // acs-events.md §8: the SDK map key is misspelled '…SelectorsExpire'. We emit the real type, so the
      // SDK's own key never matches; consumers must compare the type string (which does match).
      t.equal(key, 'Microsoft.Communication.RouterJobWorkerSelectorsExpire')
      t.notOk(isSystem(key, eg), 'SDK key (misspelled) does not match the real event type')
      t.notOk(isSystem(key, ce), 'same for the CloudEvent')
      t.ok(isSystem(type, eg), 'the real type string matches at runtime')
      return
    }
    t.ok(isSystem(key, eg), `${type} (Event Grid schema)`)
    t.ok(isSystem(key, ce), `${type} (CloudEvents)`)
  })
  const unmapped = CATALOG.filter((e) => !e.sdk.inSystemEventMap).map((e) => e.eventType)
  t.same(unmapped.sort(), [
    'Microsoft.Communication.AdvancedMessageAnalysisCompleted',
    'Microsoft.Communication.ChatMemberAddedToThreadWithUser',
    'Microsoft.Communication.ChatMemberRemovedFromThreadWithUser'
  ], 'three types are not in the SDK map (checked above with the plain type string)')
})

t.test('sequences and the 2020 profile deserialize too', async (t) => {
  const all = [
    ...listAcsSequences().flatMap((s) => generateAcsSequence(s.name, {}, ctx)),
    ...generateAcsSequence('sms-conversation', { profile: '2020-preview' }, ctx),
    ...generateAcsSequence('chat-conversation', { profile: '2020-preview' }, ctx)
  ]
  const parsed = await deserializer.deserializeEventGridEvents(JSON.stringify(all))
  t.same(parsed.map((p) => p.data), all.map((e) => e.data))
  const ce = await deserializer.deserializeCloudEvents(JSON.stringify(all.map(toCloudEvent)))
  t.same(ce.map((p) => p.data), all.map((e) => e.data))
})
