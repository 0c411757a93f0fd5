/**
 * Multi-event scenarios that real ACS apps handle most, as data. Each step is one event type; `links`
 * copy values from an earlier step's data (current wire names) so the events describe one conversation,
 * call or job even when the user overrides ids. Everything else the steps share (thread, numbers, users,
 * serverCallId…) comes from the catalog samples, which tell one story per family, re-skinned together.
 */

export interface SequenceStep {
  eventType: string
  /** Field in this step ← [earlier step index, field path in that step's data]. */
  links?: Readonly<Record<string, readonly [number, string]>>
}

export interface SequenceDef {
  name: string
  description: string
  steps: readonly SequenceStep[]
}

const ACS = 'Microsoft.Communication.'

const CALL_IDS = { serverCallId: [0, 'serverCallId'], correlationId: [0, 'correlationId'] } as const
const JOB = { jobId: [0, 'jobId'], channelId: [0, 'channelId'], channelReference: [0, 'channelReference'] } as const
const OFFER = { ...JOB, workerId: [3, 'workerId'], queueId: [2, 'queueId'], offerId: [3, 'offerId'] } as const
const ASSIGNMENT = { ...JOB, workerId: [3, 'workerId'], queueId: [2, 'queueId'], assignmentId: [4, 'assignmentId'] } as const

export const SEQUENCES: readonly SequenceDef[] = [
  {
    name: 'sms-conversation',
    description: 'A customer texts your ACS number, then the delivery report for your reply (ACS number → customer).',
    steps: [
      { eventType: `${ACS}SMSReceived` },
      { eventType: `${ACS}SMSDeliveryReportReceived`, links: { from: [0, 'to'], to: [0, 'from'] } }
    ]
  },
  {
    name: 'call-lifecycle',
    description: 'An incoming call is answered, a participant joins, the call ends and its recording is ready.',
    steps: [
      { eventType: `${ACS}IncomingCall` },
      { eventType: `${ACS}CallStarted`, links: CALL_IDS },
      { eventType: `${ACS}CallParticipantAdded`, links: CALL_IDS },
      { eventType: `${ACS}CallEnded`, links: CALL_IDS },
      { eventType: `${ACS}RecordingFileStatusUpdated` }
    ]
  },
  {
    name: 'chat-conversation',
    description: 'A chat thread is created with a user, who then receives a message that is edited and deleted.',
    steps: [
      { eventType: `${ACS}ChatThreadCreatedWithUser` },
      { eventType: `${ACS}ChatMessageReceived`, links: { threadId: [0, 'threadId'] } },
      { eventType: `${ACS}ChatMessageEdited`, links: { threadId: [0, 'threadId'], messageId: [1, 'messageId'] } },
      { eventType: `${ACS}ChatMessageDeleted`, links: { threadId: [0, 'threadId'], messageId: [1, 'messageId'] } }
    ]
  },
  {
    name: 'email-send',
    description: 'An email is delivered, then the recipient engages with it (open/click tracking).',
    steps: [
      { eventType: `${ACS}EmailDeliveryReportReceived` },
      {
        eventType: `${ACS}EmailEngagementTrackingReportReceived`,
        links: { messageId: [0, 'messageId'], sender: [0, 'sender'], recipient: [0, 'recipient'] }
      }
    ]
  },
  {
    name: 'whatsapp-conversation',
    description: 'A WhatsApp user messages your channel, then your reply is reported delivered.',
    steps: [
      { eventType: `${ACS}AdvancedMessageReceived` },
      { eventType: `${ACS}AdvancedMessageDeliveryStatusUpdated`, links: { from: [0, 'to'], to: [0, 'from'] } }
    ]
  },
  {
    name: 'router-job-lifecycle',
    description: 'A Job Router job is received, classified, queued, offered to and accepted by a worker, completed and closed.',
    steps: [
      { eventType: `${ACS}RouterJobReceived` },
      { eventType: `${ACS}RouterJobClassified`, links: JOB },
      { eventType: `${ACS}RouterJobQueued`, links: { ...JOB, queueId: [1, 'queueId'] } },
      { eventType: `${ACS}RouterWorkerOfferIssued`, links: { ...JOB, queueId: [2, 'queueId'] } },
      { eventType: `${ACS}RouterWorkerOfferAccepted`, links: OFFER },
      { eventType: `${ACS}RouterJobCompleted`, links: ASSIGNMENT },
      { eventType: `${ACS}RouterJobClosed`, links: ASSIGNMENT }
    ]
  }
]

export function findSequence (name: string): SequenceDef | undefined {
  const key = name.trim().toLowerCase()
  return SEQUENCES.find((s) => s.name === key)
}
