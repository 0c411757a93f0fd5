/**
 * "The emulator" as the scenario runner sees it. Two implementations: target-local.ts starts one in-process
 * per scenario; target-remote.ts drives a running one over its HTTP API (admin, sink, simulate, publish).
 */
import type { OutboxEntry } from '../acs/messaging.js'
import type { OutcomeRule } from '../domain/acs-messaging/index.js'
import type { DeliveryRecord, EventGridEvent, SinkRequest } from '../index.js'
import type { Location, ScenarioTopic } from './types.js'
import type { NamespaceConfig } from '../config/namespace-types.js'
import type { NamespaceOps } from './namespace-target.js'
import { EmulatorError } from '../errors.js'

export interface TopicInfo {
  name: string
  system: boolean
  inputSchema: string
  /** `state` is the provisioning state: Creating until the validation handshake has settled. */
  subscriptions: Array<{ name: string, endpointUrl: string, state: string }>
}

export interface DeadLetterInfo {
  topic: string
  subscription: string
  reason: string
  eventIds: string[]
  events: unknown[]
}

export interface Target {
  /** Base URL of the emulator (for `/sink/…` endpoint paths and messages). */
  readonly url: string
  /** Multiplies `wait` steps, so they shrink with the emulator's retry delays. */
  readonly timeScale: number
  /** How often expectations look again, in ms (an HTTP round trip costs more than a function call). */
  readonly pollMs: number
  /** Clears the delivery log, sink recordings and scripts, dead-letter listing and pending retries. */
  reset: () => Promise<void>
  topics: () => Promise<TopicInfo[]>
  /** Creates or replaces a subscription; rejects with the emulator's explanation. */
  putSubscription: (topic: string, name: string, body: unknown) => Promise<void>
  scriptSink: (name: string, statuses: number[]) => Promise<void>
  simulate: (topic: string, items: unknown[]) => Promise<EventGridEvent[]>
  publish: (topic: string, events: unknown[], key?: string) => Promise<void>
  /** Publishes to an event domain (POST /domains/{domain}/api/events); each event names its domain topic. */
  publishToDomain: (domain: string, events: unknown[], key?: string) => Promise<void>
  deliveries: () => Promise<DeliveryRecord[]>
  sink: (name: string) => Promise<SinkRequest[]>
  deadLetters: () => Promise<DeadLetterInfo[]>
  /** What the app under test sent through an ACS topic's data plane. */
  outbox: (topic: string) => Promise<OutboxEntry[]>
  /** Outcome rules for the scenario (tried before the config's acs.outcomes); [] removes them. */
  setAcsOutcomes: (rules: OutcomeRule[]) => Promise<void>
  /** Namespace topics: publish, receive, settle (scenario steps publish-with-namespace, receive, acknowledge…). */
  namespaces?: NamespaceOps
  /** Releases what this scenario created (the in-process emulator, or the subscriptions it added remotely). */
  close: () => Promise<void>
}

/** Opens a target for one scenario, with that scenario's topics applied (see each implementation). */
export type OpenTarget = (topics: Record<string, ScenarioTopic>, namespaces?: Record<string, NamespaceConfig>) => Promise<Target>

/** A problem preparing the emulator for a scenario, reported instead of running its steps. */
export class SetupError extends EmulatorError {
  constructor (message: string, readonly at?: Location) {
    super('BadRequest', 400, 'ScenarioSetupFailed', message)
    this.name = 'SetupError'
  }
}
