/**
 * Short kebab-case aliases for ACS event types, derived from the type name (`SMSReceived` → `sms-received`)
 * so that every catalog type has one without a hand-kept table. Report events drop the redundant tail
 * (`…DeliveryReportReceived` → `…-delivery-report`, `EmailEngagementTrackingReportReceived` →
 * `email-engagement-report`), matching how people name them.
 */
import { acsCatalog } from './catalog.generated.js'
import type { AcsCatalogEntry } from './catalog-types.js'

export const ACS_PREFIX = 'Microsoft.Communication.'

export interface AcsEventTypeInfo {
  eventType: string
  aliases: string[]
  category: string
  status: string
  retired: boolean
  description: string
}

export function aliasFor (eventType: string): string {
  const bare = eventType.startsWith(ACS_PREFIX) ? eventType.slice(ACS_PREFIX.length) : eventType
  const words = bare.match(/[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+/g) ?? [bare]
  return words.map((w) => w.toLowerCase()).join('-')
    .replace(/-tracking-report-received$/, '-report')
    .replace(/-report-received$/, '-report')
}

function info (entry: AcsCatalogEntry): AcsEventTypeInfo {
  return {
    eventType: entry.eventType,
    aliases: [aliasFor(entry.eventType)],
    category: entry.category,
    status: entry.status,
    retired: entry.status.startsWith('retired'),
    description: entry.description
  }
}

/**
 * Lookup keys: full type, bare type (`SMSReceived`) and alias, all lower-case. Made on first use, like the
 * catalog itself (catalog.generated.ts), so that importing this module at start costs nothing.
 */
let byName: Map<string, AcsCatalogEntry> | undefined

function entriesByName (): Map<string, AcsCatalogEntry> {
  if (byName !== undefined) return byName
  byName = new Map()
  for (const entry of acsCatalog()) {
    byName.set(entry.eventType.toLowerCase(), entry)
    byName.set(entry.eventType.slice(ACS_PREFIX.length).toLowerCase(), entry)
    byName.set(aliasFor(entry.eventType), entry)
  }
  return byName
}

export function findAcsEntry (nameOrAlias: string): AcsCatalogEntry | undefined {
  return entriesByName().get(nameOrAlias.trim().toLowerCase())
}

export function listAcsEventTypes (): AcsEventTypeInfo[] {
  return acsCatalog().map(info)
}

export function resolveAcsEventType (nameOrAlias: string): AcsEventTypeInfo | undefined {
  const entry = findAcsEntry(nameOrAlias)
  return entry === undefined ? undefined : info(entry)
}

/** Candidates for did-you-mean on an unknown type: every alias and full type name. */
export function eventTypeNames (): string[] {
  return acsCatalog().flatMap((e) => [aliasFor(e.eventType), e.eventType])
}
