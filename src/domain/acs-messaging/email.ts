/**
 * `POST /emails:send?api-version=2025-09-01` as @azure/communication-email's beginSend sends it:
 *   { senderAddress, content: { subject, plainText?, html? }, recipients: { to?, cc?, bcc? }, attachments?, replyTo?,
 *     userEngagementTrackingDisabled?, headers? }
 * → 202 { id, status: 'Running' } with Operation-Location; GET /emails/operations/{id} → { id, status: 'Succeeded' }.
 * The operation id is the message id of the delivery reports.
 */
import { bad, isObject, show, type AcsError, type Checked, type SentMessage } from './types.js'

/** ACS limits: 50 recipients (to + cc + bcc) and a 10 MB message, attachments included. */
export const EMAIL_MAX_RECIPIENTS = 50
export const EMAIL_MAX_BYTES = 10 * 1024 * 1024

const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/

export function checkEmailSend (body: unknown, ctx: { senders?: readonly string[], messageId: string, bodyBytes: number }): Checked<SentMessage[]> {
  if (!isObject(body)) return bad(`The request body must be a JSON object { senderAddress, content, recipients }, got ${show(body)}.`)
  const { senderAddress, content, recipients, attachments } = body
  if (typeof senderAddress !== 'string' || !ADDRESS.test(senderAddress)) {
    return bad(`'senderAddress' must be an email address such as DoNotReply@contoso.com, got ${show(senderAddress)}.`, 'senderAddress', 'InvalidSenderAddress')
  }
  if (ctx.senders !== undefined && !ctx.senders.some((s) => s.toLowerCase() === senderAddress.toLowerCase() || s.toLowerCase() === `@${senderAddress.split('@')[1]!.toLowerCase()}`)) {
    const error: AcsError = { status: 404, code: 'DomainNotLinked', message: `The specified sender domain has not been linked: ${show(senderAddress)} is not among this resource's senders (acsSenders): ${ctx.senders.join(', ')}.`, target: 'senderAddress' }
    return { ok: false, error }
  }
  if (!isObject(content)) return bad(`'content' is required: { subject, plainText?, html? }, got ${show(content)}.`, 'content')
  if (typeof content.subject !== 'string' || content.subject === '') return bad(`'content.subject' is required (a non-empty string), got ${show(content.subject)}.`, 'content.subject')
  for (const key of ['plainText', 'html'] as const) {
    if (content[key] !== undefined && typeof content[key] !== 'string') return bad(`'content.${key}' must be a string, got ${show(content[key])}.`, `content.${key}`)
  }
  if (content.plainText === undefined && content.html === undefined) return bad('\'content\' needs \'plainText\', \'html\' or both.', 'content')
  if (!isObject(recipients)) return bad(`'recipients' is required: { to: [{ address }], cc?, bcc? }, got ${show(recipients)}.`, 'recipients')
  const list: Array<{ address: string, kind: string }> = []
  for (const kind of ['to', 'cc', 'bcc'] as const) {
    const entries = recipients[kind]
    if (entries === undefined) continue
    if (!Array.isArray(entries)) return bad(`'recipients.${kind}' must be an array of { address, displayName? }, got ${show(entries)}.`, `recipients.${kind}`)
    for (const [i, r] of entries.entries()) {
      if (!isObject(r) || typeof r.address !== 'string' || !ADDRESS.test(r.address)) {
        return bad(`'recipients.${kind}[${i}].address' must be an email address, got ${show(isObject(r) ? r.address : r)}.`, `recipients.${kind}[${i}].address`, 'InvalidRecipientAddress')
      }
      list.push({ address: r.address, kind })
    }
  }
  if (list.length === 0) return bad('\'recipients\' needs at least one address in to, cc or bcc.', 'recipients')
  if (list.length > EMAIL_MAX_RECIPIENTS) return bad(`The email has ${list.length} recipients (to + cc + bcc); the maximum is ${EMAIL_MAX_RECIPIENTS}.`, 'recipients')
  const summary: Array<{ name: string, contentType: string, bytes: number }> = []
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) return bad(`'attachments' must be an array of { name, contentType, contentInBase64 }, got ${show(attachments)}.`, 'attachments')
    for (const [i, a] of attachments.entries()) {
      if (!isObject(a) || typeof a.name !== 'string' || typeof a.contentType !== 'string' || typeof a.contentInBase64 !== 'string') {
        return bad(`'attachments[${i}]' needs string name, contentType and contentInBase64, got ${show(a)}.`, `attachments[${i}]`)
      }
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentInBase64)) return bad(`'attachments[${i}].contentInBase64' is not base64.`, `attachments[${i}].contentInBase64`)
      summary.push({ name: a.name, contentType: a.contentType, bytes: Buffer.byteLength(a.contentInBase64, 'base64') })
    }
  }
  if (ctx.bodyBytes > EMAIL_MAX_BYTES) {
    return { ok: false, error: { status: 413, code: 'RequestEntityTooLarge', message: `The email request is ${ctx.bodyBytes} bytes; the maximum is ${EMAIL_MAX_BYTES} (10 MB), attachments included.` } }
  }
  const request: Record<string, unknown> = { ...body, ...(attachments !== undefined ? { attachments: summary } : {}) }
  delete request.content
  return {
    ok: true,
    value: list.map(({ address, kind }) => ({
      channel: 'email',
      messageId: ctx.messageId,
      from: senderAddress,
      to: address,
      subject: content.subject as string,
      ...(typeof content.plainText === 'string' ? { message: content.plainText } : {}),
      ...(typeof content.html === 'string' ? { html: content.html } : {}),
      enableDeliveryReport: true,
      kind,
      request
    }))
  }
}
