/**
 * The shape of a validated config file (see config.example.yaml for every key, with comments).
 * Subscription bodies use the property names of an ARM `eventSubscriptions` resource's `properties`.
 */
import type { DeliverySchema, InputSchema } from '../domain/events.js'
import type { SubscriptionFilter } from '../domain/filter/index.js'
import type { LimitsConfig, ServerTimeouts } from './limits.js'

export interface EmulatorConfig {
  server: { host: string, port: number, dataDir?: string } & Partial<ServerTimeouts>
  delivery: { timeScale: number, deadLetterDir: string, azureFunctionsHostUrl: string }
  acs: { profile: 'current' | '2020-preview' }
  topics: Record<string, TopicConfig>
  /** Resource bounds; see config/limits.ts for the defaults. */
  limits?: LimitsConfig
}

export const ACS_TOPIC_TYPE = 'Microsoft.Communication.CommunicationServices'

export interface TopicConfig {
  /** Present => system topic of that type (only ACS is supported). */
  topicType?: typeof ACS_TOPIC_TYPE
  /** System topic: the source resource id. */
  source?: string
  /** Custom topic: the ARM resource id stamped into `topic` (default built from the name). */
  resourceId?: string
  inputSchema?: InputSchema
  inputSchemaMapping?: InputSchemaMapping
  /** Access keys; publishing requires one of them when any is configured. */
  keys?: string[]
  /** Extra port on which this topic also answers `POST /api/events`, like a real topic endpoint. */
  port?: number
  subscriptions: Record<string, SubscriptionBody>
}

export interface InputSchemaMapping {
  inputSchemaMappingType: 'Json'
  properties: {
    id?: { sourceField?: string }
    topic?: { sourceField?: string }
    eventTime?: { sourceField?: string }
    eventType?: { sourceField?: string, defaultValue?: string }
    subject?: { sourceField?: string, defaultValue?: string }
    dataVersion?: { sourceField?: string, defaultValue?: string }
  }
}

export interface DeliveryAttributeMapping {
  name: string
  type: 'Static' | 'Dynamic'
  properties: { value?: string, isSecret?: boolean, sourceField?: string }
}

export interface WebHookDestination {
  endpointType: 'WebHook' | 'AzureFunction'
  properties: {
    endpointUrl?: string
    resourceId?: string
    maxEventsPerBatch?: number
    preferredBatchSizeInKilobytes?: number
    deliveryAttributeMappings?: DeliveryAttributeMapping[]
    azureActiveDirectoryTenantId?: string
    azureActiveDirectoryApplicationIdOrUri?: string
  }
}

export interface SubscriptionBody {
  destination: WebHookDestination
  filter?: SubscriptionFilter
  eventDeliverySchema?: DeliverySchema
  retryPolicy?: { maxDeliveryAttempts?: number, eventTimeToLiveInMinutes?: number }
  deadLetterDestination?: { endpointType: 'StorageBlob', properties: { blobContainerName: string, resourceId?: string } }
  labels?: string[]
  expirationTimeUtc?: string
  /** Emulator extension: `skip` turns off the validation handshake (Azure exempts AzureFunction destinations). */
  validation?: 'auto' | 'skip'
}
