/**
 * `POST /sms?api-version=2021-03-07` as @azure/communication-sms sends it:
 *   { from, smsRecipients: [{ to, repeatabilityRequestId?, repeatabilityFirstSent? }], message, smsSendOptions: { enableDeliveryReport, tag? } }
 * → 202 { value: [{ to, messageId?, httpStatusCode, repeatabilityResult?, successful, errorMessage? }] }
 * Request-level problems answer 400; a malformed recipient number fails that recipient only, as ACS does.
 */
import { bad, E164, isObject, show, type Checked, type SentMessage } from './types.js'

/** ACS limits: 2048 characters of text, 100 recipients per request. */
export const SMS_MAX_MESSAGE = 2048
export const SMS_MAX_RECIPIENTS = 100

export interface SmsResultItem { to: string, messageId?: string, httpStatusCode: number, repeatabilityResult?: 'accepted', successful: boolean, errorMessage?: string }

export interface SmsSend { results: SmsResultItem[], sent: SentMessage[] }

export function checkSmsSend (body: unknown, ctx: { senders?: readonly string[], newMessageId: () => string }): Checked<SmsSend> {
  if (!isObject(body)) return bad(`The request body must be a JSON object { from, smsRecipients, message, smsSendOptions }, got ${show(body)}.`)
  const { from, smsRecipients, message, smsSendOptions } = body
  if (typeof from !== 'string' || from === '') return bad(`'from' is required: the sending phone number in E.164 format (like +18005550100), got ${show(from)}.`, 'from')
  if (!E164.test(from) && !/^\d{5,6}$/.test(from) && !/^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/.test(from)) {
    return bad(`'from' ${show(from)} is not a phone number in E.164 format (+ and up to 15 digits), a short code (5-6 digits) or an alphanumeric sender ID (up to 11 letters/digits).`, 'from')
  }
  if (ctx.senders !== undefined && !ctx.senders.includes(from)) {
    return { ok: false, error: { status: 401, code: 'Unauthorized', message: `'from' ${show(from)} is not a number of this Communication Services resource; its numbers (acsSenders): ${ctx.senders.join(', ')}.`, target: 'from' } }
  }
  if (typeof message !== 'string') return bad(`'message' is required: the SMS text (a string of up to ${SMS_MAX_MESSAGE} characters), got ${show(message)}.`, 'message')
  if (message.length > SMS_MAX_MESSAGE) return bad(`'message' is ${message.length} characters long; the maximum is ${SMS_MAX_MESSAGE}.`, 'message')
  if (!Array.isArray(smsRecipients) || smsRecipients.length === 0) {
    return bad(`'smsRecipients' must be a non-empty array of { to: '+1…' }, got ${show(smsRecipients)}.`, 'smsRecipients')
  }
  if (smsRecipients.length > SMS_MAX_RECIPIENTS) return bad(`'smsRecipients' has ${smsRecipients.length} entries; the maximum is ${SMS_MAX_RECIPIENTS}.`, 'smsRecipients')
  if (smsSendOptions !== undefined && !isObject(smsSendOptions)) return bad(`'smsSendOptions' must be an object { enableDeliveryReport, tag? }, got ${show(smsSendOptions)}.`, 'smsSendOptions')
  const enableDeliveryReport = smsSendOptions?.enableDeliveryReport ?? false
  if (typeof enableDeliveryReport !== 'boolean') return bad(`'smsSendOptions.enableDeliveryReport' must be true or false, got ${show(enableDeliveryReport)}.`, 'smsSendOptions.enableDeliveryReport')
  const tag = smsSendOptions?.tag
  if (tag !== undefined && typeof tag !== 'string') return bad(`'smsSendOptions.tag' must be a string, got ${show(tag)}.`, 'smsSendOptions.tag')

  const results: SmsResultItem[] = []
  const sent: SentMessage[] = []
  for (const [i, r] of smsRecipients.entries()) {
    if (!isObject(r) || typeof r.to !== 'string') return bad(`'smsRecipients[${i}]' must be an object { to: '+1…' }, got ${show(r)}.`, `smsRecipients[${i}].to`)
    if (!E164.test(r.to)) {
      results.push({ to: r.to, httpStatusCode: 400, repeatabilityResult: 'accepted', successful: false, errorMessage: `Invalid To phone number format: ${show(r.to)} is not E.164 (+ and up to 15 digits).` })
      continue
    }
    const messageId = ctx.newMessageId()
    results.push({ to: r.to, messageId, httpStatusCode: 202, repeatabilityResult: 'accepted', successful: true })
    sent.push({ channel: 'sms', messageId, from, to: r.to, message, enableDeliveryReport, ...(tag !== undefined ? { tag } : {}), request: { smsSendOptions: smsSendOptions ?? {} } })
  }
  return { ok: true, value: { results, sent } }
}

/** ACS's outgoing SMS id: `Outgoing_` + yyyyMMddHHmmss (UTC) + 32 hex digits. */
export function smsMessageId (now: Date, guid: string): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return `Outgoing_${stamp}${guid.replace(/-/g, '')}`
}
