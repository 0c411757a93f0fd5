/**
 * Config shapes of Event Grid namespaces (`namespaces.<ns>`): ARM property names of a namespace, its namespace
 * topics and their event subscriptions (Microsoft.EventGrid/namespaces/topics/eventSubscriptions, 2024-06-01).
 */
import type { AdvancedFilter } from '../domain/filter/index.js'

export interface NamespaceConfig {
  /** Access keys; data-plane requests need one (SharedAccessKey) or a SAS signed with one, when any is set. */
  keys?: string[]
  /** Extra port on which this namespace's data plane is also served at the root, like a real namespace host. */
  port?: number
  topics: Record<string, NamespaceTopicConfig>
}

export interface NamespaceTopicConfig {
  /** How long published events are kept, 1-7 days (ARM default 1); caps every subscription's eventTimeToLive. */
  eventRetentionInDays?: number
  eventSubscriptions: Record<string, NamespaceSubscriptionConfig>
}

export interface NamespaceDeadLetter {
  deadLetterDestination: {
    endpointType: 'StorageBlob'
    properties: { blobContainerName: string, resourceId?: string }
  }
}

export interface NamespaceQueueInfo {
  receiveLockDurationInSeconds?: number
  maxDeliveryCount?: number
  /** ISO 8601 duration, e.g. P1D, PT10M. */
  eventTimeToLive?: string
  deadLetterDestinationWithResourceIdentity?: NamespaceDeadLetter
}

export interface NamespacePushInfo {
  maxDeliveryCount?: number
  eventTimeToLive?: string
  deadLetterDestinationWithResourceIdentity?: NamespaceDeadLetter
  destination: {
    endpointType: 'WebHook'
    properties: {
      endpointUrl: string
      maxEventsPerBatch?: number
      preferredBatchSizeInKilobytes?: number
    }
  }
}

export interface NamespaceSubscriptionConfig {
  deliveryConfiguration: {
    deliveryMode: 'Queue' | 'Push'
    queue?: NamespaceQueueInfo
    push?: NamespacePushInfo
  }
  eventDeliverySchema?: 'CloudEventSchemaV1_0'
  filtersConfiguration?: { includedEventTypes?: string[], filters?: AdvancedFilter[] }
}
