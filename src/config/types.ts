/**
 * The shape of a validated config file (see config.example.yaml for every key, with comments).
 * Subscription bodies use the property names of an ARM `eventSubscriptions` resource's `properties`.
 */
import type { DeliverySchema, InputSchema } from '../domain/events.js'
import type { SubscriptionFilter } from '../domain/filter/index.js'
import type { OutcomeRule } from '../domain/acs-messaging/index.js'
import type { NamespaceConfig } from './namespace-types.js'
import type { LimitsConfig, ServerTimeouts } from './limits.js'

export interface EmulatorConfig {
  server: { host: string, port: number, dataDir?: string } & Partial<ServerTimeouts>
  delivery: { timeScale: number, deadLetterDir: string, azureFunctionsHostUrl: string }
  acs: {
    profile: 'current' | '2020-preview'
    /** What happens to messages the app sends through the ACS data plane (first matching rule wins); none = the default. */
    outcomes?: OutcomeRule[]
  }
  topics: Record<string, TopicConfig>
  /** Event domains by name (always set by the config loader; optional for configs built in code). */
  domains?: Record<string, DomainConfig>
  /** Event Grid namespaces (namespace topics with pull and push subscriptions); see docs/namespaces.md. */
  namespaces?: Record<string, NamespaceConfig>
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
  /** ACS system topic: the access key that signs ACS data-plane calls for this resource (default derived from the name). */
  acsAccessKey?: string
  /** ACS system topic: the senders the resource owns (SMS numbers, email addresses or @domains, WhatsApp channel ids); any when unset. */
  acsSenders?: string[]
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

/** An event domain (ARM `Microsoft.EventGrid/domains` properties, plus its subscriptions). */
export interface DomainConfig {
  /** The ARM resource id of the domain (default built from the name); domain topics are `<id>/topics/<name>`. */
  resourceId?: string
  inputSchema?: InputSchema
  inputSchemaMapping?: InputSchemaMapping
  keys?: string[]
  /** Extra port on which this domain also answers `POST /api/events`, like a real domain endpoint. */
  port?: number
  /** Azure's default true: a subscription PUT on a domain topic that does not exist creates it. */
  autoCreateTopicWithFirstSubscription?: boolean
  /** Azure's default true: deleting a domain topic's last subscription deletes the domain topic. */
  autoDeleteTopicWithLastSubscription?: boolean
  /** Domain-scope subscriptions: they see the events of every domain topic. */
  subscriptions: Record<string, SubscriptionBody>
  topics: Record<string, { subscriptions: Record<string, SubscriptionBody> }>
}
