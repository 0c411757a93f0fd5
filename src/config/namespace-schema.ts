/**
 * JSON Schema of `namespaces:` in the config file. Structure only; cross-field rules (durations, TTL against
 * retention, mode-specific blocks, filters) are in validate-namespaces.ts.
 */
import { deadLetterDestinationSchema } from './dead-letter-schema.js'

const nonEmptyString = { type: 'string', minLength: 1 } as const

const deadLetterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['deadLetterDestination'],
  properties: { deadLetterDestination: deadLetterDestinationSchema }
} as const

// ARM limits: maxDeliveryCount 1-10, receiveLockDurationInSeconds 60-300.
const maxDeliveryCount = { type: 'integer', minimum: 1, maximum: 10 } as const

const subscriptionSchema = {
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
            eventTimeToLive: nonEmptyString,
            deadLetterDestinationWithResourceIdentity: deadLetterSchema
          }
        },
        push: {
          type: 'object',
          additionalProperties: false,
          required: ['destination'],
          properties: {
            maxDeliveryCount,
            eventTimeToLive: nonEmptyString,
            deadLetterDestinationWithResourceIdentity: deadLetterSchema,
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

const namespaceTopicSchema = {
  type: ['object', 'null'], // `orders:` with nothing under it: a topic without subscriptions
  additionalProperties: false,
  properties: {
    eventRetentionInDays: { type: 'integer', minimum: 1, maximum: 7 },
    eventSubscriptions: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: subscriptionSchema
    }
  }
} as const

export const namespacesSchema = {
  type: 'object',
  // Namespace names: 3-50 letters, digits and hyphens (ARM).
  propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      keys: { type: 'array', maxItems: 2, items: nonEmptyString },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      topics: {
        type: ['object', 'null'],
        propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
        additionalProperties: namespaceTopicSchema
      }
    }
  }
} as const
