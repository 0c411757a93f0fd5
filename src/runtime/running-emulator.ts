/**
 * What `startEmulator` hands back: the in-process API over a listening emulator (publish, wait for deliveries,
 * close). It drives the core only through its public methods.
 */
import type { FastifyInstance } from 'fastify'
import { plainRecord } from '../delivery/delivery-log.js'
import type { Emulator } from '../emulator.js'
import { MAX_JSON_DEPTH, valueDepthExceeds } from '../domain/json-depth.js'
import { badRequest, domainNotConfigured, notAcsTopic, nothingToReload, waitTimedOut } from '../errors.js'
import { Lifecycle } from '../lifecycle.js'
import type { Logger } from '../logging.js'
import type { ConfigReloader } from '../reload/reloader.js'
import type { ResolvedTls } from '../tls/index.js'
import type { RunningEmulator } from '../index.js'
import type { PortApps } from './port-apps.js'
import { shutDown } from './shutdown.js'

export interface RunningParts {
  url: string
  app: FastifyInstance
  emulator: Emulator
  log: Logger
  tls: ResolvedTls | undefined
  portApps: PortApps
  reloader: ConfigReloader | undefined
  shutdownGraceMs: number
}

export function runningEmulator (parts: RunningParts): RunningEmulator {
  const { url, app, emulator, log, tls, portApps, reloader } = parts
  const topicOrThrow = (name: string): NonNullable<ReturnType<Emulator['topic']>> => {
    return emulator.requireTopic(name)
  }
  // Every close() call waits for the one shutdown (a second call must not resolve while servers still listen).
  const servers = new Lifecycle('the running emulator')
  return {
    url,
    app,
    emulator,
    log,
    // The config in effect: hot reload replaces it.
    get config () { return emulator.config },
    ...(tls !== undefined ? { tls: { mode: tls.mode, certFile: tls.certFile, generated: tls.generated } } : {}),
    publish: (topic, events) => {
      const t = topicOrThrow(topic)
      const ce = t.inputSchema === 'CloudEventSchemaV1_0'
      checkNesting(events)
      return emulator.publish(t, events, ce ? (Array.isArray(events) ? 'application/cloudevents-batch+json' : 'application/cloudevents+json') : 'application/json')
    },
    simulate: (topic, body) => { checkNesting(body); return emulator.simulate(topicOrThrow(topic), body, {}) },
    sink: (name) => emulator.sink.get(name),
    deliveries: (query) => emulator.deliveryLog.query(query),
    acsConnectionString: (topic) => {
      const found = emulator.acs.connectionString(topicOrThrow(topic).name, url)
      if (found === undefined) throw notAcsTopic(topic)
      return found
    },
    outbox: (topic) => emulator.acs.list(topicOrThrow(topic).name),
    waitForDeliveries: async (predicate, count = 1, timeoutMs = 10_000) => {
      const found = emulator.deliveryLog.query().filter(predicate)
      if (found.length >= count) return found.slice(0, count)
      return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { off(); reject(waitTimedOut(`waited ${timeoutMs} ms for ${count} matching deliveries, saw ${found.length}`)) }, timeoutMs)
        const off = emulator.deliveryLog.onRecord((record) => {
          // The plain object query() would give (the engine's records are compact).
          const r = plainRecord(record)
          let hit: boolean
          // eslint-disable-next-line prefer-promise-reject-errors -- the predicate's own throw is passed on as it is
          try { hit = predicate(r) } catch (err) { clearTimeout(timer); off(); reject(err as Error); return }
          if (!hit) return
          found.push(r)
          if (found.length >= count) { clearTimeout(timer); off(); resolve(found.slice(0, count)) }
        })
      })
    },
    close: async () => {
      await servers.close(async () => {
        reloader?.close()
        // Deliveries in flight may target our own sink, so they finish before the servers stop (shutDown).
        await shutDown([app, ...portApps.list()], emulator, parts.shutdownGraceMs, log)
        portApps.forget()
      })
    },
    publishToDomain: (name, events) => {
      checkNesting(events)
      const domain = emulator.domain(name)
      if (domain === undefined) throw domainNotConfigured(name, [...emulator.domains.keys()])
      const ce = domain.inputSchema === 'CloudEventSchemaV1_0'
      return emulator.publishToDomain(domain, events, ce ? (Array.isArray(events) ? 'application/cloudevents-batch+json' : 'application/cloudevents+json') : 'application/json').map((e) => e.event)
    },
    reload: async () => {
      if (reloader === undefined) throw nothingToReload()
      return await reloader.reload()
    },
    onReload: (listener) => reloader?.onReload(listener) ?? (() => {}),
    durable: async () => { await emulator.durable() }
  }
}

/**
 * In-process publishing hands over values, not text, so the JSON nesting bound the HTTP parser applies is checked
 * here instead (the same limit and message).
 */
function checkNesting (value: unknown): void {
  if (valueDepthExceeds(value, MAX_JSON_DEPTH)) throw badRequest(`The events are nested more than ${MAX_JSON_DEPTH} levels deep; at most ${MAX_JSON_DEPTH} levels of nested objects and arrays are allowed.`, 'InputJsonInvalid')
}
