/**
 * `POST /messages/notifications:send?api-version=2024-08-30` as @azure-rest/communication-messages sends it:
 *   { channelRegistrationId, to: [phone], kind: 'text' | 'template' | 'image' | 'document' | 'video' | 'audio', … }
 * → 202 { receipts: [{ messageId, to }] }. Each receipt's messageId is reported by AdvancedMessageDeliveryStatusUpdated.
 */
import { bad, isObject, show, type Checked, type SentMessage } from './types.js'

export const TEXT_MAX = 4096
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const WHATSAPP_ID = /^\+?[1-9]\d{6,14}$/
const MEDIA_KINDS = ['image', 'image_v0', 'document', 'video', 'audio']
const KINDS = ['text', 'template', ...MEDIA_KINDS]

export function checkNotificationSend (body: unknown, ctx: { senders?: readonly string[], newMessageId: () => string }): Checked<SentMessage[]> {
  if (!isObject(body)) return bad(`The request body must be a JSON object { channelRegistrationId, to, kind, … }, got ${show(body)}.`)
  const { channelRegistrationId, to, kind } = body
  if (typeof channelRegistrationId !== 'string' || !GUID.test(channelRegistrationId)) {
    return bad(`'channelRegistrationId' must be the GUID of a WhatsApp channel registration, got ${show(channelRegistrationId)}.`, 'channelRegistrationId')
  }
  if (ctx.senders !== undefined && !ctx.senders.some((s) => s.toLowerCase() === channelRegistrationId.toLowerCase())) {
    return { ok: false, error: { status: 404, code: 'NotFound', message: `Channel registration ${channelRegistrationId} is not connected to this Communication Services resource; its channels (acsSenders): ${ctx.senders.join(', ')}.`, target: 'channelRegistrationId' } }
  }
  if (!Array.isArray(to) || to.length === 0) return bad(`'to' must be a non-empty array of WhatsApp phone numbers, got ${show(to)}.`, 'to')
  for (const [i, r] of to.entries()) {
    if (typeof r !== 'string' || !WHATSAPP_ID.test(r)) return bad(`'to[${i}]' must be a phone number in E.164 format (like +14255550123), got ${show(r)}.`, `to[${i}]`)
  }
  if (typeof kind !== 'string' || !KINDS.includes(kind)) return bad(`'kind' must be one of ${KINDS.join(', ')}, got ${show(kind)}.`, 'kind')
  let message: string | undefined
  let subject: string | undefined
  if (kind === 'text') {
    if (typeof body.content !== 'string' || body.content === '') return bad(`'content' is required for kind text (a non-empty string), got ${show(body.content)}.`, 'content')
    if (body.content.length > TEXT_MAX) return bad(`'content' is ${body.content.length} characters long; the maximum is ${TEXT_MAX}.`, 'content')
    message = body.content
  } else if (kind === 'template') {
    const t = body.template
    if (!isObject(t)) return bad(`'template' is required for kind template: { name, language, values?, bindings? }, got ${show(t)}.`, 'template')
    if (typeof t.name !== 'string' || t.name === '') return bad(`'template.name' is required, got ${show(t.name)}.`, 'template.name')
    if (typeof t.language !== 'string' || !/^[a-z]{2,3}(_[A-Z]{2})?$/.test(t.language)) return bad(`'template.language' must be a language code such as en or en_US, got ${show(t.language)}.`, 'template.language')
    subject = t.name
  } else {
    if (typeof body.mediaUri !== 'string' || !/^https?:\/\//.test(body.mediaUri)) return bad(`'mediaUri' is required for kind ${kind} (an http(s) URL), got ${show(body.mediaUri)}.`, 'mediaUri')
    if (typeof body.caption === 'string') message = body.caption
  }
  const request: Record<string, unknown> = { ...body }
  delete request.to
  return {
    ok: true,
    value: to.map((recipient: string) => ({
      channel: 'whatsapp',
      messageId: ctx.newMessageId(),
      from: channelRegistrationId,
      to: recipient,
      ...(message !== undefined ? { message } : {}),
      ...(subject !== undefined ? { subject } : {}),
      enableDeliveryReport: true,
      kind,
      request
    }))
  }
}
