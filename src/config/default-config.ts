/**
 * The built-in configuration used when no --config is given: an ACS system topic and a custom topic, each with
 * one subscription delivering everything to the built-in sink, so a newcomer sees events flow with zero setup.
 * The subscriptions have distinct names so a log line or a delivery record says which topic it is about. The
 * namespace `local` has a topic `events` with one pull subscription, for @azure/eventgrid-namespaces clients.
 */
import { applyDefaults } from './apply-defaults.js'
import { configSchema } from './schema.js'
import type { EmulatorConfig } from './types.js'

export const DEFAULT_CONFIG_NAME = '<built-in default config>'

// server and delivery settings are the schema's defaults (config/schema.ts).
export const DEFAULT_CONFIG_YAML = `
topics:
  acs:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs
    subscriptions:
      acs-to-sink:
        destination:
          endpointType: WebHook
          properties: { endpointUrl: /sink/default }
  events:
    inputSchema: EventGridSchema
    subscriptions:
      events-to-sink:
        destination:
          endpointType: WebHook
          properties: { endpointUrl: /sink/default }
namespaces:
  local:
    topics:
      events:
        eventSubscriptions:
          default-queue:
            deliveryConfiguration: { deliveryMode: Queue }
`

/**
 * The same configuration as data, so a start without --config does not parse YAML (the parser's first run is
 * about 15 ms of a cold start): `builtInConfig()` below is what a start uses, and `parseDefaultConfig`
 * (load-config.ts) checks it like a file. A test keeps it equal to DEFAULT_CONFIG_YAML, which stays the source
 * of file:line:col messages should it ever be invalid.
 */
export const DEFAULT_CONFIG_DATA = {
  topics: {
    acs: {
      topicType: 'Microsoft.Communication.CommunicationServices',
      source: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.Communication/communicationServices/local-acs',
      subscriptions: {
        'acs-to-sink': { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/default' } } }
      }
    },
    events: {
      inputSchema: 'EventGridSchema',
      subscriptions: {
        'events-to-sink': { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/default' } } }
      }
    }
  },
  namespaces: {
    local: { topics: { events: { eventSubscriptions: { 'default-queue': { deliveryConfiguration: { deliveryMode: 'Queue' } } } } } }
  }
}

/**
 * The built-in config as a start uses it: DEFAULT_CONFIG_DATA with the schema's defaults applied, a fresh copy
 * each call. It is not checked at run time, because it is a constant: test/config/defaults.test.ts checks that
 * it passes the full check (`parseDefaultConfig`, load-config.ts) and gives the same result for any environment
 * and time (it has no `${VAR}` and no `expirationTimeUtc`, the only inputs of the check that depend on them).
 * So `serve` without --config loads neither the YAML parser nor the schema validators before it listens.
 */
export function builtInConfig (): EmulatorConfig {
  return applyDefaults(configSchema, structuredClone(DEFAULT_CONFIG_DATA)) as unknown as EmulatorConfig
}
