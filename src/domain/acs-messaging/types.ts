/** What the app sent through the emulated ACS data plane, one record per (message, recipient). Pure data. */
import type { Channel } from './outcomes.js'
import { renderValue } from '../render-value.js'

export interface SentMessage {
  channel: Channel
  /** SMS messageId, email operation id (shared by its recipients), WhatsApp receipt messageId. */
  messageId: string
  from: string
  to: string
  /** SMS text, WhatsApp text content, email plain text. */
  message?: string
  /** Email subject; WhatsApp template name. */
  subject?: string
  html?: string
  /** SMS tag. */
  tag?: string
  /** SMS: whether a delivery report was asked for (email and WhatsApp always report). */
  enableDeliveryReport: boolean
  /** Email: to, cc or bcc; WhatsApp: the notification kind (text, template, image…). */
  kind?: string
  /** The send request's other fields, as received (attachments are summarized). */
  request: Record<string, unknown>
}

/** An ACS data-plane error: HTTP status and ACS's `{ error: { code, message, target } }` body. */
export interface AcsError { status: number, code: string, message: string, target?: string }

export type Checked<T> = { ok: true, value: T } | { ok: false, error: AcsError }

export const bad = (message: string, target?: string, code = 'BadRequest'): { ok: false, error: AcsError } =>
  ({ ok: false, error: { status: 400, code, message, ...(target !== undefined ? { target } : {}) } })

export function isObject (v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

export function show (v: unknown): string {
  return renderValue(v, { absent: 'nothing', max: 60, keep: 57, ellipsis: '…' })
}

/** E.164, as ACS requires for SMS numbers: `+`, country code, up to 15 digits. */
export const E164 = /^\+[1-9]\d{1,14}$/
