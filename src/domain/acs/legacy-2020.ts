/**
 * The `2020-preview` profile: ACS events as the 2020 public preview documented them
 * (MicrosoftDocs event-handling.md of 2020-09-30; its samples are in data/acs-2020-preview-samples.json).
 * - SMS data was PascalCase (`MessageId`, `From`, `To`, `Message`, `ReceivedTimestamp`,
 *   `DeliveryAttempts[].Timestamp`…), without the later `segmentCount`/`tag`. The samples print phone
 *   numbers without '+' except the delivery report's `To`, and SMS message ids end in a dashed GUID; both
 *   are reproduced as documented.
 * - Per-user chat events carried only the MRI strings (`senderId`, `recipientId`, `createdBy`,
 *   `members[]`…): no `*CommunicationIdentifier` objects, `participants`, `metadata` (added 2021–2023).
 * - `ChatMemberAddedToThreadWithUser` / `ChatMemberRemovedFromThreadWithUser` as they appeared.
 * Types that did not exist in 2020 are an error in this profile, rather than a guess at a shape.
 */
import type { AcsCatalogEntry, FieldSpec } from './catalog-types.js'
import { isPlainObject } from '../events.js'
import { emulatorError } from '../emulator-error.js'

interface LegacyShape {
  /** Current wire name → 2020 name (top level). */
  rename?: Readonly<Record<string, string>>
  /** For arrays of objects: current item field → 2020 name. Keyed by the current array name. */
  itemRename?: Readonly<Record<string, Readonly<Record<string, string>>>>
  /** Current fields that did not exist in 2020. */
  drop: readonly string[]
  /** 2020 fields whose phone numbers the docs print without '+'. */
  bareDigits?: readonly string[]
}

const ACS = 'Microsoft.Communication.'
const SMS_COMMON = { messageId: 'MessageId', from: 'From', to: 'To', receivedTimestamp: 'ReceivedTimestamp' }
const CHAT_ADDED_LATER = [
  'senderCommunicationIdentifier', 'recipientCommunicationIdentifier', 'createdByCommunicationIdentifier',
  'deletedByCommunicationIdentifier', 'editedByCommunicationIdentifier', 'participants', 'metadata',
  'retentionPolicy', 'sequenceId'
]
const CHAT: LegacyShape = { drop: CHAT_ADDED_LATER }

const SHAPES: Readonly<Record<string, LegacyShape>> = {
  [`${ACS}SMSReceived`]: { rename: { ...SMS_COMMON, message: 'Message' }, drop: ['segmentCount'], bareDigits: ['From', 'To'] },
  [`${ACS}SMSDeliveryReportReceived`]: {
    rename: { ...SMS_COMMON, deliveryStatus: 'DeliveryStatus', deliveryStatusDetails: 'DeliveryStatusDetails', deliveryAttempts: 'DeliveryAttempts' },
    itemRename: { deliveryAttempts: { timestamp: 'Timestamp', segmentsSucceeded: 'SegmentsSucceeded', segmentsFailed: 'SegmentsFailed' } },
    drop: ['tag'],
    bareDigits: ['From']
  },
  [`${ACS}ChatMessageReceived`]: CHAT,
  [`${ACS}ChatMessageEdited`]: CHAT,
  [`${ACS}ChatMessageDeleted`]: CHAT,
  [`${ACS}ChatThreadCreatedWithUser`]: CHAT,
  [`${ACS}ChatThreadWithUserDeleted`]: CHAT,
  [`${ACS}ChatThreadPropertiesUpdatedPerUser`]: CHAT,
  [`${ACS}ChatMemberAddedToThreadWithUser`]: { drop: [] },
  [`${ACS}ChatMemberRemovedFromThreadWithUser`]: { drop: [] }
}

export const LEGACY_2020_TYPES: readonly string[] = Object.keys(SHAPES)

export function existedIn2020 (eventType: string): boolean {
  return SHAPES[eventType] !== undefined
}

function shapeOf (entry: AcsCatalogEntry): LegacyShape {
  const shape = SHAPES[entry.eventType]
  if (shape === undefined) throw emulatorError(500, 'CatalogInconsistent', `${entry.eventType} has no 2020-preview shape`)
  return shape
}

function renameKeys (obj: Record<string, unknown>, names: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [names[k] ?? k, v]))
}

function invert (names: Readonly<Record<string, string>> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(names).map(([k, v]) => [v, k]))
}

/** The 2020 wire fields of a type, for validating overrides written in 2020 names. */
export function legacyFields (entry: AcsCatalogEntry): FieldSpec[] {
  const shape = shapeOf(entry)
  return entry.fields.filter((f) => !shape.drop.includes(f.name)).map((f) => {
    const items = shape.itemRename?.[f.name]
    const renamed: FieldSpec = { ...f, name: shape.rename?.[f.name] ?? f.name }
    if (items && f.fields) renamed.fields = f.fields.map((c) => ({ ...c, name: items[c.name] ?? c.name }))
    return renamed
  })
}

function mapItems (value: unknown, names: Readonly<Record<string, string>> | undefined): unknown {
  if (names === undefined || !Array.isArray(value)) return value
  return value.map((item) => (isPlainObject(item) ? renameKeys(item, names) : item))
}

/** 2020-named overrides → current names, so the current generator can apply them. */
export function toCurrentNames (entry: AcsCatalogEntry, data: Record<string, unknown>): Record<string, unknown> {
  const shape = shapeOf(entry)
  const back = invert(shape.rename)
  return Object.fromEntries(Object.entries(data).map(([k, v]) => {
    const name = back[k] ?? k
    return [name, mapItems(v, invert(shape.itemRename?.[name]))]
  }))
}

/** Current-shape data → 2020 shape. `userData` (2020 names) marks values the user chose: kept verbatim. */
export function toLegacyData (entry: AcsCatalogEntry, data: Record<string, unknown>, userData: Record<string, unknown>): Record<string, unknown> {
  const shape = shapeOf(entry)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(data)) {
    if (shape.drop.includes(k)) continue
    out[shape.rename?.[k] ?? k] = mapItems(v, shape.itemRename?.[k])
  }
  for (const name of shape.bareDigits ?? []) {
    const v = out[name]
    if (typeof v === 'string' && !(name in userData)) out[name] = v.replace(/^\+/, '')
  }
  const id = out.MessageId
  if (typeof id === 'string' && !('MessageId' in userData)) {
    out.MessageId = id.replace(/^((?:Incoming|Outgoing)_\d{14})([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/, '$1$2-$3-$4-$5-$6')
  }
  return out
}

/** Where the event id comes from in the 2020 shape (SMS: `MessageId`). */
export function legacyIdPath (entry: AcsCatalogEntry): string | undefined {
  return entry.idPath === undefined ? undefined : shapeOf(entry).rename?.[entry.idPath] ?? entry.idPath
}
