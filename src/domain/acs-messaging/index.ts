/**
 * The ACS data plane the app under test calls (SMS, Email, Advanced Messaging): request signing, request
 * validation with ACS's errors, outcome rules and the report events they produce. Pure.
 */
export { contentHash, defaultAcsAccessKey, sign, signedPathAndQuery, verifyHmac, type HmacResult, type KeyOwner, type SignedRequest } from './hmac.js'
export { checkEmailSend, EMAIL_MAX_BYTES } from './email.js'
export { checkNotificationSend } from './messages.js'
export { CHANNELS, outcomeFor, outcomeRuleProblems, outcomeRuleSchema, parseDelay, STATUSES, type Channel, type Outcome, type OutcomeRule } from './outcomes.js'
export { reportSteps, type ReportStep } from './reports.js'
export { checkSmsSend, smsMessageId, type SmsResultItem } from './sms.js'
export type { AcsError, Checked, SentMessage } from './types.js'
