import { outcomeRuleSchema } from '../domain/acs-messaging/index.js'

/**
 * JSON Schemas for the config file and for a subscription body (shared by the config and `PUT /admin/...`).
 * Structure only: cross-field rules (schema combinations, filter semantics, limits that depend on other keys)
 * live in validate-*.ts so their messages can explain themselves.
 *
 * The schemas are the single source of truth: scripts/generate-validators.ts compiles them into
 * validators.generated.ts and derives the TypeScript types in types.generated.ts from them (`description`
 * becomes the doc comment). Defaults are declared here with `default` and filled in by apply-defaults.ts; a key
 * with a default is always present in the loaded config's type (a null map, like an empty `subscriptions:`,
 * becomes its default too).
 */

import { deadLetterDestinationSchema } from './dead-letter-schema.js'
import { namespacesSchema } from './namespace-schema.js'
import { limitsSchema, serverTimeoutProperties } from './limits.js'

const nonEmptyString = { type: 'string', minLength: 1 } as const

/** An empty map; also what `key:` with nothing under it (null) becomes. */
const emptyMap = {} as const

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
    validation: { enum: ['auto', 'skip'], description: 'Emulator extension: `skip` turns off the validation handshake (Azure exempts AzureFunction destinations).' }
  }
} as const

export const topicSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topicType: { enum: ['Microsoft.Communication.CommunicationServices'], description: 'Present => system topic of that type (only ACS is supported).' },
    source: { ...nonEmptyString, description: 'System topic: the source resource id.' },
    resourceId: { ...nonEmptyString, description: 'Custom topic: the ARM resource id stamped into `topic` (default built from the name).' },
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
    keys: { type: 'array', maxItems: 2, items: nonEmptyString, description: 'Access keys; publishing requires one of them when any is configured.' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Extra port on which this topic also answers `POST /api/events`, like a real topic endpoint.' },
    acsAccessKey: { type: 'string', minLength: 1, description: 'ACS system topic: the access key that signs ACS data-plane calls for this resource (default derived from the name).' },
    acsSenders: { type: 'array', minItems: 1, items: nonEmptyString, description: 'ACS system topic: the senders the resource owns (SMS numbers, email addresses or @domains, WhatsApp channel ids); any when unset.' },
    subscriptions: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,64}$' },
      additionalProperties: subscriptionSchema,
      default: emptyMap
    }
  }
} as const

/** An event domain: a custom topic's publishing settings, domain-scope subscriptions and domain topics. */
export const domainSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    resourceId: { ...nonEmptyString, description: 'The ARM resource id of the domain (default built from the name); domain topics are `<id>/topics/<name>`.' },
    inputSchema: topicSchema.properties.inputSchema,
    inputSchemaMapping: topicSchema.properties.inputSchemaMapping,
    keys: topicSchema.properties.keys,
    port: { ...topicSchema.properties.port, description: 'Extra port on which this domain also answers `POST /api/events`, like a real domain endpoint.' },
    autoCreateTopicWithFirstSubscription: { type: 'boolean', description: "Azure's default true: a subscription PUT on a domain topic that does not exist creates it." },
    autoDeleteTopicWithLastSubscription: { type: 'boolean', description: "Azure's default true: deleting a domain topic's last subscription deletes the domain topic." },
    subscriptions: { ...topicSchema.properties.subscriptions, description: 'Domain-scope subscriptions: they see the events of every domain topic.' },
    topics: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$' },
      additionalProperties: {
        type: ['object', 'null'],
        additionalProperties: false,
        properties: { subscriptions: topicSchema.properties.subscriptions },
        default: emptyMap
      },
      default: emptyMap
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
        host: { ...nonEmptyString, default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 4000 },
        dataDir: nonEmptyString,
        ...serverTimeoutProperties
      },
      default: emptyMap
    },
    delivery: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeScale: { type: 'number', exclusiveMinimum: 0, default: 1 }, // 0 would make every TTL and window zero
        // Under --data-dir the default means DATA_DIR/blobs (index.ts).
        deadLetterDir: { ...nonEmptyString, default: './dead-letters' },
        // `func start` listens on 7071 by default.
        azureFunctionsHostUrl: { type: 'string', pattern: '^https?://', default: 'http://127.0.0.1:7071' }
      },
      default: emptyMap
    },
    acs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        profile: { enum: ['current', '2020-preview'], default: 'current' },
        outcomes: {
          type: 'array',
          items: outcomeRuleSchema,
          default: [],
          description: 'What happens to messages the app sends through the ACS data plane (first matching rule wins); none = the default.'
        }
      },
      default: emptyMap
    },
    topics: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: topicSchema,
      default: emptyMap
    },
    domains: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9-]{3,50}$' },
      additionalProperties: domainSchema,
      default: emptyMap,
      description: 'Event domains by name (always set by the config loader; optional for configs built in code).'
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

/** Dead letters go here unless `delivery.deadLetterDir` says otherwise (under --data-dir: DATA_DIR/blobs). */
export const DEFAULT_DEAD_LETTER_DIR = configSchema.properties.delivery.properties.deadLetterDir.default
