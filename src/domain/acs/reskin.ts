/**
 * Re-skinning: turns a catalog sample into a fresh event by replacing every identifier with a new one and
 * moving every timestamp by the same offset. Replacements are memoised per original value, so whatever was
 * equal in the sample stays equal (a user's raw id in `senderId`, `rawId` and `communicationUser.id`; the
 * phone number in `from` of one event and `to` of the next). The catalog samples tell one coherent story
 * per family (same thread, call, job, numbers), so one session shared across a sequence links its events.
 */
import { Entropy, FIELD_FACTORIES, freshPhoneDigits, hashGuid, isIsoDateTime, isNearEpochMs, shiftIso } from './values.js'
import type { FactoryEnv } from './values.js'

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
/** 1: `8:acs:` 2: resource GUID | 3: GUID | 4: 32-hex id (thread ids, storage document ids) | 5: E.164 digits */
const TOKEN_RE = new RegExp(`(8:acs:)(${GUID})|(${GUID})|(?<![0-9a-fA-F])([0-9a-f]{32})(?![0-9a-fA-F])|\\+([1-9]\\d{7,14})(?!\\d)`, 'g')
/** A whole value of bare digits is a phone number without '+' (WhatsApp ids, SMS subjects). */
const BARE_PHONE_RE = /^[1-9]\d{9,14}$/

export interface SessionClock {
  /** "Now" for this session, ms since the epoch. */
  nowMs: number
  /** Added to every sample timestamp. */
  offsetMs: number
  /** A time in the samples' era, to recognise epoch-millisecond numbers (chat `version`). */
  sampleAnchorMs: number
}

function tokensOf (value: string): { phones: string[]; guids: string[]; hexes: string[] } {
  const out = { phones: [] as string[], guids: [] as string[], hexes: [] as string[] }
  if (BARE_PHONE_RE.test(value)) out.phones.push(value)
  for (const m of value.matchAll(TOKEN_RE)) {
    if (m[3] !== undefined) out.guids.push(m[3].toLowerCase())
    else if (m[4] !== undefined) out.hexes.push(m[4])
    else if (m[5] !== undefined) out.phones.push(m[5])
  }
  return out
}

export class ReskinSession {
  readonly entropy: Entropy
  private readonly whole = new Map<string, string>()
  private readonly guids = new Map<string, string>()
  private readonly hexes = new Map<string, string>()
  private readonly phones = new Map<string, string>()
  private readonly resourceGuid: string

  constructor (readonly topic: string, newGuid: () => string, readonly clock: SessionClock) {
    this.entropy = new Entropy(newGuid)
    this.resourceGuid = hashGuid(topic.toLowerCase())
  }

  /**
   * Makes `original` (a sample value) come out as `value` wherever it appears, in this and later events
   * of the session. When both contain exactly one phone number / GUID / 32-hex id, that token is pinned
   * too, so composite values follow (`4:+1425…` after overriding `+1425…`).
   */
  pin (original: string, value: string): void {
    if (original === '' || original === value) return
    this.whole.set(original, value)
    const from = tokensOf(original)
    const to = tokensOf(value)
    if (from.phones.length === 1 && to.phones.length === 1) this.phones.set(from.phones[0]!, to.phones[0]!)
    if (from.guids.length === 1 && to.guids.length === 1) this.guids.set(from.guids[0]!, to.guids[0]!)
    if (from.hexes.length === 1 && to.hexes.length === 1) this.hexes.set(from.hexes[0]!, to.hexes[0]!)
  }

  /** A fresh copy of a sample value (object, array or scalar). `hint` is the field name. */
  value (sample: unknown, hint = ''): unknown {
    if (typeof sample === 'string') return this.string(sample, hint)
    if (typeof sample === 'number') {
      return isNearEpochMs(sample, this.clock.sampleAnchorMs) ? sample + this.clock.offsetMs : sample
    }
    if (Array.isArray(sample)) return sample.map((v) => this.value(v, hint))
    if (sample !== null && typeof sample === 'object') {
      return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, this.value(v, k)]))
    }
    return sample
  }

  string (sample: string, hint: string): string {
    const known = this.whole.get(sample)
    if (known !== undefined) return known
    const out = this.fresh(sample, hint)
    this.whole.set(sample, out)
    return out
  }

  private fresh (sample: string, hint: string): string {
    const { offsetMs, sampleAnchorMs } = this.clock
    if (sample === '') return sample
    if (isIsoDateTime(sample)) return shiftIso(sample, offsetMs)
    // Chat message ids are the compose time in epoch ms, as a string.
    if (/^\d{13}$/.test(sample) && isNearEpochMs(Number(sample), sampleAnchorMs)) return String(Number(sample) + offsetMs)
    if (BARE_PHONE_RE.test(sample)) return this.phone(sample)
    const env: FactoryEnv = { entropy: this.entropy, offsetMs, nowMs: this.clock.nowMs }
    return FIELD_FACTORIES[hint]?.(sample, env) ?? this.tokens(sample)
  }

  private tokens (sample: string): string {
    return sample.replace(TOKEN_RE, (match, acs?: string, resource?: string, guid?: string, hex?: string, phone?: string) => {
      if (acs !== undefined && resource !== undefined) return acs + this.memo(this.guids, resource.toLowerCase(), () => this.resourceGuid)
      if (guid !== undefined) return this.memo(this.guids, guid.toLowerCase(), () => this.entropy.guid())
      if (hex !== undefined) return this.memo(this.hexes, hex, () => this.entropy.hex(32))
      if (phone !== undefined) return `+${this.phone(phone)}`
      return match
    })
  }

  private phone (digits: string): string {
    return this.memo(this.phones, digits, () => freshPhoneDigits(digits, this.entropy))
  }

  private memo (map: Map<string, string>, key: string, make: () => string): string {
    let v = map.get(key)
    if (v === undefined) {
      v = make()
      map.set(key, v)
    }
    return v
  }
}
