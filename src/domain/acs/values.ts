/**
 * Realistic value factories for synthetic ACS events. All randomness comes from the caller's `newGuid`
 * (see Entropy), so tests with a counter-based GUID source get deterministic output.
 */

/** Random hex/digits/bytes carved from fresh GUIDs: the only source of randomness in the domain. */
export class Entropy {
  constructor (private readonly newGuid: () => string) {}

  guid (): string {
    return this.newGuid().toLowerCase()
  }

  /** `n` hex chars, taken from the end of fresh GUIDs (the end differs even for counter GUIDs). */
  hex (n: number): string {
    let out = ''
    while (out.length < n) out = this.guid().replace(/-/g, '') + out
    return out.slice(out.length - n)
  }

  digits (n: number): string {
    return [...this.hex(n)].map((c) => String(parseInt(c, 16) % 10)).join('')
  }

  /** base64url of `bytes` random bytes, unpadded. */
  base64url (bytes: number): string {
    const hex = this.hex(bytes * 2)
    let raw = ''
    for (let i = 0; i < hex.length; i += 2) raw += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16))
    return toBase64url(raw)
  }
}

export function toBase64url (latin1: string): string {
  return btoa(latin1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * A stable GUID derived from text (FNV-1a, four seeds). Used for the ACS resource's immutable id inside
 * raw ids (`8:acs:<resource guid>_<user guid>`): the same topic always yields the same resource GUID.
 */
export function hashGuid (text: string): string {
  const words = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x7f4a7c15].map((seed) => {
    let h = seed >>> 0
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
    return h.toString(16).padStart(8, '0')
  })
  const hex = words.join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

// ---------- time ----------

const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/

export function isIsoDateTime (value: string): boolean {
  const m = ISO_RE.exec(value)
  return m !== null && !Number.isNaN(Date.parse(`${m[1]}${m[3]}`))
}

/** Milliseconds since the epoch of an ISO string with any number of fractional digits. */
export function parseIsoMs (value: string): number {
  const m = ISO_RE.exec(value)
  if (m === null) return Date.parse(value)
  return Date.parse(`${m[1]}${m[3]}`) + Number((m[2] ?? '').padEnd(3, '0').slice(0, 3))
}

function utcSeconds (ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)
}

/**
 * Moves an ISO timestamp by `offsetMs`, keeping its style: `Z` or `+00:00`, 7 digits when it had 7
 * (sub-millisecond digits are kept), otherwise milliseconds with trailing zeros trimmed, as Azure prints.
 */
export function shiftIso (value: string, offsetMs: number): string {
  const m = ISO_RE.exec(value)
  if (m === null) return value
  const fraction = m[2] ?? ''
  const ms = parseIsoMs(value) + offsetMs
  const milli = String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
  let digits = fraction.length >= 7 ? milli + fraction.slice(3, 7) : milli.replace(/0+$/, '')
  if (fraction.length > 7) digits = milli + fraction.slice(3)
  const zone = m[3] === 'Z' ? 'Z' : '+00:00'
  return `${utcSeconds(ms)}${digits === '' ? '' : `.${digits}`}${zone}`
}

/** Event Grid's envelope format: 7 fractional digits and `Z` (`2025-06-12T17:15:05.1234567Z`). */
export function formatEventTime (ms: number, subMillisecondDigits: string): string {
  const milli = String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
  return `${utcSeconds(ms)}.${milli}${subMillisecondDigits.padEnd(4, '0').slice(0, 4)}Z`
}

/** Integers that are epoch milliseconds near the sample's time (chat `version`, chat `messageId`). */
export function isNearEpochMs (value: number, anchorMs: number): boolean {
  return Number.isInteger(value) && Math.abs(value - anchorMs) < 40 * 24 * 3600 * 1000
}

// ---------- identifiers ----------

/** A fresh number in the sample's country + area code, in the fictional 555 exchange: 1425555xxxx. */
export function freshPhoneDigits (sampleDigits: string, entropy: Entropy): string {
  if (sampleDigits.length < 8) return entropy.digits(sampleDigits.length)
  const head = sampleDigits.length === 11 && sampleDigits.startsWith('1') ? `${sampleDigits.slice(0, 4)}555` : sampleDigits.slice(0, -4)
  return head + entropy.digits(sampleDigits.length - head.length)
}

/** What a factory may use: randomness, the time shift applied to the sample, and "now". */
export interface FactoryEnv {
  entropy: Entropy
  offsetMs: number
  nowMs: number
}

type Factory = (sample: string, env: FactoryEnv) => string | undefined

const SMS_ID_RE = /^(Incoming|Outgoing)_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/

/** `Incoming_<yyyyMMddHHmmss><32 hex>`: the timestamp moves with the event, the tail is new. */
function smsMessageId (sample: string, { entropy, offsetMs }: FactoryEnv): string | undefined {
  const m = SMS_ID_RE.exec(sample)
  if (m === null) return undefined
  const ms = Date.UTC(+m[2]!, +m[3]! - 1, +m[4]!, +m[5]!, +m[6]!, +m[7]!) + offsetMs
  const stamp = new Date(ms).toISOString().slice(0, 19).replace(/[-T:]/g, '')
  return `${m[1]}_${stamp}${entropy.hex(32)}`
}

/** base64url of a calling "flightproxy" conversation URL, the shape real serverCallIds decode to. */
function serverCallId (_sample: string, { entropy, nowMs }: FactoryEnv): string {
  // .NET ticks (100 ns since 0001-01-01), as in the `e=` parameter of real ids.
  const ticks = (BigInt(nowMs) + 62135596800000n) * 10000n
  const conv = entropy.base64url(16)
  return toBase64url(`https://api.flightproxy.skype.com/api/v2/cp/conv-usea-01-prod-aks.conv.skype.com/conv/${conv}?i=10&e=${ticks}`)
}

function recordingId (_sample: string, { entropy }: FactoryEnv): string {
  return toBase64url(JSON.stringify({ PlatformEndpointId: entropy.guid(), ResourceSpecificId: entropy.guid() }))
}

/** An opaque, JWT-shaped blob (unsigned), as Call Automation hands to answerCall(). */
function incomingCallContext (_sample: string, { entropy }: FactoryEnv): string {
  const header = toBase64url('{"alg":"none","typ":"JWT"}')
  const payload = toBase64url(JSON.stringify({ cc: entropy.base64url(48), shrToken: entropy.base64url(24) }))
  return `${header}.${payload}.`
}

/** Chat transaction ids: 22-char base64 correlation vector followed by dotted counters (kept). */
function transactionId (sample: string, { entropy }: FactoryEnv): string {
  const dot = sample.indexOf('.')
  const head = btoa(String.fromCharCode(...entropy.hex(32).match(/../g)!.map((h) => parseInt(h, 16)))).slice(0, 22)
  return dot < 0 ? head : head + sample.slice(dot)
}

/** Exchange Online ids: `<PH7PR11MB6403` + upper-hex message part + `@host>`; only the message part is new. */
function internetMessageId (sample: string, { entropy }: FactoryEnv): string {
  return sample.replace(/(?<=\d{4})[0-9A-F]{16,}(?=@)/, (run) => entropy.hex(run.length).toUpperCase())
}

/** WhatsApp business-scoped user ids: `US.<digits>`. */
function bsuid (sample: string, { entropy }: FactoryEnv): string {
  return sample.replace(/\d+$/, (d) => entropy.digits(d.length))
}

/**
 * Job Router ids the app chooses itself (`worker-agent-042`, `call-8b1f2c3d`): keep the naming scheme,
 * renew the trailing number / hex so separate runs do not collide.
 */
function appChosenId (sample: string, { entropy }: FactoryEnv): string | undefined {
  const m = /^(.*?[-_.])([0-9a-f]+)$/.exec(sample)
  if (m === null) return undefined
  const tail = /^\d+$/.test(m[2]!) ? entropy.digits(m[2]!.length) : entropy.hex(m[2]!.length)
  return m[1]! + tail
}

/** Per-field-name factories for ids that are not plain GUIDs/numbers. `undefined` = use the generic rules. */
export const FIELD_FACTORIES: Readonly<Record<string, Factory>> = {
  messageId: smsMessageId,
  serverCallId,
  recordingId,
  incomingCallContext,
  transactionId,
  internetMessageId,
  workerId: appChosenId,
  channelReference: appChosenId,
  fromBSUID: bsuid,
  toBSUID: bsuid
}
