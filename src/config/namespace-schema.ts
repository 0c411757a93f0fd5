/**
 * JSON Schema of `namespaces:` in the config file. Structure only; cross-field rules (durations, TTL against
 * retention, mode-specific blocks, filters) are in validate-namespaces.ts. The types in namespace-types.ts are
 * generated from it (see config/schema.ts).
 */
import { deadLetterDestinationSchema } from './dead-letter-schema.js'

const nonEmptyString = { type: 'string', minLength: 1 } as const

export const namespaceDeadLetterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['deadLetterDestination'],
  properties: { deadLetterDestination: deadLetterDestinationSchema }
} as const

// ARM limits: maxDeliveryCount 1-10, receiveLockDurationInSeconds 60-300.
const maxDeliveryCount = { type: 'integer', minimum: 1, maximum: 10 } as const

export const namespaceSubscriptionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['deliveryConfiguration'],
  properties: {
    deliveryConfiguration: {
      type: 'object',
      additionalProperties: false,
      required: ['deliveryMode'],
      properties: {
        deliveryMode: { enum: ['Queue', 'Push'] },
        queue: {
          type: 'object',
          additionalProperties: false,
          properties: {
            receiveLockDurationInSeconds: { type: 'integer', minimum: 60, maximum: 300 },
            maxDeliveryCount,
            eventTimeToLive: { ...nonEmptyString, description: 'ISO 8601 duration, e.g. P1D, PT10M.' },
            deadLetterDestinationWithResourceIdentity: namespaceDeadLetterSchema
          }
        },
        push: {
          type: 'object',
          additionalProperties: false,
          required: ['destination'],
          properties: {
            maxDeliveryCount,
            eventTimeToLive: nonEmptyString,
            deadLetterDestinationWithResourceIdentity: namespaceDeadLetterSchema,
            destination: {
              type: 'object',
              additionalProperties: false,
              required: ['endpointType', 'properties'],
              properties: {
                endpointType: { enum: ['WebHook'] },
                properties: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['endpointUrl'],
                  properties: {
                    endpointUrl: nonEmptyString,
                    maxEventsPerBatch: { type: 'integer', minimum: 1, maximum: 5000 },
                    preferredBatchSizeInKilobytes: { type: 'integer', minimum: 1, maximum: 1024 }
                  }
                }
              }
            }
          }
        }
      }
    },
    eventDeliverySchema: { enum: ['CloudEventSchemaV1_0'] },
    filtersConfiguration: {
      type: 'object',
      additionalProperties: false,
      properties: {
        includedEventTypes: { type: 'array', items: nonEmptyString },
        // Checked by the filter engine's own validator (same operators as advanced filters).
        filters: { type: 'array' }
      }
    }
  }
} as const

export const namespaceTopicSchema = {
  type: ['object', 'null'], // `orders:` with nothing under it: a topic without subscriptions
  additionalProperties: false,
  properties: {
    eventRetentionInDays: { type: 'integer', minimum: 1, maximum: 7, description: 'How long published events are kept, 1-7 days (ARM default 1); caps every subscription\'s eventTimeToLive.' },
    eventSubscriptions: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: namespaceSubscriptionSchema,
      default: {}
    }
  },
  default: {}
} as const

export const namespacesSchema = {
  type: 'object',
  description: 'Event Grid namespaces (namespace topics with pull and push subscriptions); see docs/namespaces.md.',
  // Namespace names: 3-50 letters, digits and hyphens (ARM).
  propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      keys: { type: 'array', maxItems: 2, items: nonEmptyString, description: 'Access keys; data-plane requests need one (SharedAccessKey) or a SAS signed with one, when any is set.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, description: "Extra port on which this namespace's data plane is also served at the root, like a real namespace host." },
      topics: {
        type: ['object', 'null'],
        propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
        additionalProperties: namespaceTopicSchema,
        default: {}
      }
    }
  },
  default: {}
} as const
