import { outcomeRuleSchema } from '../domain/acs-messaging/index.js'

/**
 * JSON Schemas for the config file and for a subscription body (shared by the config and `PUT /admin/...`).
 * Structure only: cross-field rules (schema combinations, filter semantics, limits that depend on other keys)
 * live in validate-config.ts so their messages can explain themselves.
 */

import { deadLetterDestinationSchema } from './dead-letter-schema.js'
import { namespacesSchema } from './namespace-schema.js'
import { limitsSchema, serverTimeoutProperties } from './limits.js'

const nonEmptyString = { type: 'string', minLength: 1 } as const

const mappingField = {
  type: 'object',
  additionalProperties: false,
  properties: { sourceField: nonEmptyString }
} as const

const mappingFieldWithDefault = {
  type: 'object',
  additionalProperties: false,
  properties: { sourceField: nonEmptyString, defaultValue: { type: 'string' } }
} as const

export const deliveryAttributeMappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type', 'properties'],
  properties: {
    name: nonEmptyString,
    type: { enum: ['Static', 'Dynamic'] },
    properties: {
      type: 'object',
      additionalProperties: false,
      properties: {
        value: { type: 'string' },
        isSecret: { type: 'boolean' },
        sourceField: nonEmptyString
      }
    }
  }
} as const

export const subscriptionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['destination'],
  properties: {
    destination: {
      type: 'object',
      additionalProperties: false,
      required: ['endpointType', 'properties'],
      properties: {
        endpointType: { enum: ['WebHook', 'AzureFunction'] },
        properties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            endpointUrl: nonEmptyString,
            resourceId: nonEmptyString,
            maxEventsPerBatch: { type: 'integer', minimum: 1, maximum: 5000 },
            preferredBatchSizeInKilobytes: { type: 'integer', minimum: 1, maximum: 1024 },
            deliveryAttributeMappings: { type: 'array', maxItems: 10, items: deliveryAttributeMappingSchema },
            azureActiveDirectoryTenantId: { type: 'string' },
            azureActiveDirectoryApplicationIdOrUri: { type: 'string' }
          }
        }
      }
    },
    // The filter's own validator (domain/filter) checks it, case-insensitive ARM names included.
    filter: { type: 'object' },
    eventDeliverySchema: { enum: ['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomInputSchema'] },
    retryPolicy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxDeliveryAttempts: { type: 'integer', minimum: 1, maximum: 30 },
        eventTimeToLiveInMinutes: { type: 'integer', minimum: 1, maximum: 1440 }
      }
    },
    deadLetterDestination: deadLetterDestinationSchema,
    labels: { type: 'array', items: { type: 'string' } },
    expirationTimeUtc: { type: 'string', format: 'date-time' },
    validation: { enum: ['auto', 'skip'] }
  }
} as const

export const topicSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topicType: { enum: ['Microsoft.Communication.CommunicationServices'] },
    source: nonEmptyString,
    resourceId: nonEmptyString,
    inputSchema: { enum: ['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomEventSchema'] },
    inputSchemaMapping: {
      type: 'object',
      additionalProperties: false,
      required: ['inputSchemaMappingType', 'properties'],
      properties: {
        inputSchemaMappingType: { enum: ['Json'] },
        properties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: mappingField,
            topic: mappingField,
            eventTime: mappingField,
            eventType: mappingFieldWithDefault,
            subject: mappingFieldWithDefault,
            dataVersion: mappingFieldWithDefault
          }
        }
      }
    },
    keys: { type: 'array', maxItems: 2, items: nonEmptyString },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    acsAccessKey: { type: 'string', minLength: 1 },
    acsSenders: { type: 'array', minItems: 1, items: nonEmptyString },
    subscriptions: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,64}$' },
      additionalProperties: subscriptionSchema
    }
  }
} as const

/** An event domain: a custom topic's publishing settings, domain-scope subscriptions and domain topics. */
export const domainSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    resourceId: nonEmptyString,
    inputSchema: topicSchema.properties.inputSchema,
    inputSchemaMapping: topicSchema.properties.inputSchemaMapping,
    keys: topicSchema.properties.keys,
    port: topicSchema.properties.port,
    autoCreateTopicWithFirstSubscription: { type: 'boolean' },
    autoDeleteTopicWithLastSubscription: { type: 'boolean' },
    subscriptions: topicSchema.properties.subscriptions,
    topics: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$' },
      additionalProperties: {
        type: ['object', 'null'],
        additionalProperties: false,
        properties: { subscriptions: topicSchema.properties.subscriptions }
      }
    }
  }
} as const

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        host: nonEmptyString,
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        dataDir: nonEmptyString,
        ...serverTimeoutProperties
      }
    },
    delivery: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeScale: { type: 'number', exclusiveMinimum: 0 }, // 0 would make every TTL and window zero
        deadLetterDir: nonEmptyString,
        azureFunctionsHostUrl: { type: 'string', pattern: '^https?://' }
      }
    },
    acs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        profile: { enum: ['current', '2020-preview'] },
        outcomes: { type: 'array', items: outcomeRuleSchema }
      }
    },
    topics: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: topicSchema
    },
    domains: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: domainSchema
    },
    namespaces: namespacesSchema,
    limits: limitsSchema
  }
} as const

/** Body of `PUT /admin/acs/outcomes`: the outcome rules tried before the config's `acs.outcomes`. */
export const acsOutcomeRulesBodySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['rules'],
  properties: { rules: { type: 'array', items: outcomeRuleSchema } }
} as const
