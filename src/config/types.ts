/**
 * The shape of a validated config file (see config.example.yaml for every key, with comments). The types are
 * generated from the JSON Schemas (schema.ts) by scripts/generate-validators.ts, so they cannot drift from what
 * the loader accepts; to add a key, add it to the schema (with its `description` and any `default`) and regenerate.
 */
export type {
  DeadLetterDestination, DeliveryAttributeMapping, DomainConfig, EmulatorConfig, InputSchemaMapping, SubscriptionBody,
  TopicConfig, WebHookDestination
} from './types.generated.js'

export const ACS_TOPIC_TYPE = 'Microsoft.Communication.CommunicationServices'
