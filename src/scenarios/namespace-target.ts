/**
 * What scenario steps need from an emulator's namespaces: publish to a namespace topic, receive from a pull
 * subscription, settle lock tokens. In-process (the broker) or over HTTP (the data plane the SDK uses).
 */
import type { Emulator } from '../emulator.js'
import type { CloudEvent } from '../domain/events.js'
import type { Received, SettleResult } from '../namespaces/queue.js'
import type { Settlement } from '../namespaces/broker.js'
import type { NsSubscription } from '../namespaces/model.js'
import { acceptCloudEvents } from '../domain/publish/cloud-events.js'
import { scenarioStepFailed } from '../errors.js'

export interface NamespaceOps {
  publish: (ns: string, topic: string, events: unknown[], key?: string) => Promise<void>
  /** Waits up to `withinMs` of real time for at least one event. */
  receive: (ns: string, topic: string, sub: string, maxEvents: number, withinMs: number, key?: string) => Promise<Received[]>
  settle: (ns: string, topic: string, sub: string, op: Settlement, lockTokens: string[], releaseDelaySeconds: number, key?: string) => Promise<SettleResult>
}

export function localNamespaceOps (emulator: Emulator, timeScale: number): NamespaceOps {
  const subOf = (ns: string, topic: string, sub: string): NsSubscription => {
    const t = emulator.namespaces.topic(ns, topic)
    if (t === undefined) throw scenarioStepFailed(`namespace topic '${ns}/${topic}' does not exist; namespaces: ${[...emulator.namespaces.namespaces.keys()].join(', ') || 'none'}`)
    const s = t.subscriptions.get(sub)
    if (s === undefined) throw scenarioStepFailed(`event subscription '${sub}' does not exist on namespace topic '${ns}/${topic}'; subscriptions: ${[...t.subscriptions.keys()].join(', ')}`)
    if (s.queue === undefined) throw scenarioStepFailed(`event subscription '${sub}' of '${ns}/${topic}' uses deliveryMode Push; receive and settle need a Queue subscription`)
    return s
  }
  return {
    publish: async (ns, topic, events) => {
      const t = emulator.namespaces.topic(ns, topic)
      if (t === undefined) throw scenarioStepFailed(`namespace topic '${ns}/${topic}' does not exist; namespaces: ${[...emulator.namespaces.namespaces.keys()].join(', ') || 'none'}`)
      const accepted = acceptCloudEvents(events, 'batch', emulator.now().toISOString(), emulator.limits)
      emulator.publishNamespace(t, accepted.map((a) => a.cloudEvent as CloudEvent))
    },
    // The broker scales its wait by timeScale; the step's bound is real time, so divide it back out.
    receive: async (ns, topic, sub, max, withinMs) => await emulator.namespaces.receive(subOf(ns, topic, sub), max, withinMs / timeScale),
    settle: async (ns, topic, sub, op, tokens, delay) => emulator.namespaces.settle(subOf(ns, topic, sub), op, tokens, delay)
  }
}

type Post = (path: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) => Promise<unknown>

export function remoteNamespaceOps (post: Post): NamespaceOps {
  const auth = (key: string | undefined): Record<string, string> => (key !== undefined ? { authorization: `SharedAccessKey ${key}` } : {})
  const base = (ns: string, topic: string): string => `/namespaces/${encodeURIComponent(ns)}/topics/${encodeURIComponent(topic)}`
  return {
    publish: async (ns, topic, events, key) => {
      await post(`${base(ns, topic)}:publish?api-version=2024-06-01`, events, { 'content-type': 'application/cloudevents-batch+json; charset=utf-8', ...auth(key) })
    },
    receive: async (ns, topic, sub, max, withinMs, key) => {
      // The API's long poll is 10-120 s; for a shorter bound the request is cut off, which the emulator sees
      // as a client gone away (its waiter leaves, so no event is locked for nobody).
      const wait = Math.min(120, Math.max(10, Math.ceil(withinMs / 1000)))
      const abort = new AbortController()
      const timer = setTimeout(() => { abort.abort() }, withinMs)
      let res: { value: Array<{ brokerProperties: { lockToken: string, deliveryCount: number }, event: CloudEvent }> }
      try {
        res = await post(`${base(ns, topic)}/eventsubscriptions/${encodeURIComponent(sub)}:receive?api-version=2024-06-01&maxEvents=${max}&maxWaitTime=${wait}`, undefined, auth(key), abort.signal) as typeof res
      } catch (err) {
        if (abort.signal.aborted) return []
        throw err
      } finally {
        clearTimeout(timer)
      }
      return res.value.map((v) => ({ lockToken: v.brokerProperties.lockToken, deliveryCount: v.brokerProperties.deliveryCount, event: v.event }))
    },
    settle: async (ns, topic, sub, op, lockTokens, delay, key) => {
      const q = op === 'release' ? `&releaseDelayInSeconds=${delay}` : ''
      return await post(`${base(ns, topic)}/eventsubscriptions/${encodeURIComponent(sub)}:${op}?api-version=2024-06-01${q}`, { lockTokens }, { 'content-type': 'application/json', ...auth(key) }) as SettleResult
    }
  }
}
