/**
 * The report events one sent message produces under an outcome: event type, data overrides for the ACS
 * generator (so payloads keep the catalog's shape) and when, relative to the send, before time scaling.
 */
import { STATUS_STEP_MS, type Outcome } from './outcomes.js'
import type { SentMessage } from './types.js'

export interface ReportStep {
  afterMs: number
  eventType: string
  status: string
  /** Data overrides, given the time the report is published and the time of the send. */
  data: (now: Date, sentAt: Date) => Record<string, unknown>
}

export const SMS_REPORT = 'Microsoft.Communication.SMSDeliveryReportReceived'
export const EMAIL_REPORT = 'Microsoft.Communication.EmailDeliveryReportReceived'
export const EMAIL_ENGAGEMENT = 'Microsoft.Communication.EmailEngagementTrackingReportReceived'
export const WHATSAPP_STATUS = 'Microsoft.Communication.AdvancedMessageDeliveryStatusUpdated'

export function reportSteps (sent: SentMessage, outcome: Outcome): ReportStep[] {
  switch (sent.channel) {
    case 'sms': return sent.enableDeliveryReport ? [smsReport(sent, outcome)] : []
    case 'email': return emailReports(sent, outcome)
    case 'whatsapp': return whatsappUpdates(sent, outcome)
  }
}

/** GSM-7 text: 160 characters in one segment, 153 per segment when concatenated. */
export function smsSegments (text: string): number {
  return text.length <= 160 ? 1 : Math.ceil(text.length / 153)
}

function smsReport (sent: SentMessage, outcome: Outcome): ReportStep {
  const delivered = outcome.status === 'Delivered'
  const segments = smsSegments(sent.message ?? '')
  return {
    afterMs: outcome.delayMs,
    eventType: SMS_REPORT,
    status: outcome.status,
    data: (now, sentAt) => ({
      messageId: sent.messageId,
      from: sent.from,
      to: sent.to,
      deliveryStatus: outcome.status,
      deliveryStatusDetails: outcome.details,
      deliveryAttempts: [{ timestamp: sentAt.toISOString(), segmentsSucceeded: delivered ? segments : 0, segmentsFailed: delivered ? 0 : segments }],
      receivedTimestamp: now.toISOString(),
      tag: sent.tag ?? null
    })
  }
}

function emailReports (sent: SentMessage, outcome: Outcome): ReportStep[] {
  const domain = sent.to.split('@')[1] ?? 'example.org'
  const common = { sender: sent.from, recipient: sent.to, messageId: sent.messageId }
  const steps: ReportStep[] = [{
    afterMs: outcome.delayMs,
    eventType: EMAIL_REPORT,
    status: outcome.status,
    data: (now) => ({
      ...common,
      status: outcome.status,
      deliveryStatusDetails: { statusMessage: outcome.details, recipientMailServerHostName: `mx.${domain}` },
      deliveryAttemptTimestamp: now.toISOString()
    })
  }]
  outcome.engagement.forEach((type, i) => {
    steps.push({
      afterMs: outcome.delayMs + (i + 1) * STATUS_STEP_MS,
      eventType: EMAIL_ENGAGEMENT,
      status: type,
      data: (now) => ({
        ...common,
        userActionTimestamp: now.toISOString(),
        engagementType: type,
        // A view has no link; a click names the first link of the HTML body, if any.
        engagementContext: type === 'click' ? firstLink(sent.html) ?? 'https://example.org/' : '',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36'
      })
    })
  })
  return steps
}

function whatsappUpdates (sent: SentMessage, outcome: Outcome): ReportStep[] {
  const progression = { Sent: ['Sent'], Delivered: ['Sent', 'Delivered'], Read: ['Sent', 'Delivered', 'Read'], Failed: ['Failed'] }[outcome.status] ?? [outcome.status]
  return progression.map((status, i) => ({
    afterMs: outcome.delayMs + i * STATUS_STEP_MS,
    eventType: WHATSAPP_STATUS,
    status,
    data: (now) => ({
      messageId: sent.messageId,
      status,
      channelType: 'whatsapp',
      from: sent.from,
      // Event Grid reports WhatsApp ids without the plus sign.
      to: sent.to.replace(/^\+/, ''),
      toBSUID: null,
      receivedTimestamp: now.toISOString(),
      error: status === 'Failed' ? { channelCode: '131026', channelMessage: outcome.details } : null
    })
  }))
}

function firstLink (html: string | undefined): string | undefined {
  return html === undefined ? undefined : /href="(https?:[^"]+)"/i.exec(html)?.[1]
}
