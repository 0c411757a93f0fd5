/**
 * `POST /topics/{topic}/api/events` — publishing exactly as the official SDKs do — and, on a topic's own
 * port, `POST /api/events`. The methods, headers and errors every publish endpoint shares live in
 * ../publish-endpoint.ts; this file only says how a topic is found, authenticated and published to.
 */
import type { FastifyInstance } from 'fastify'
import type { Emulator, TopicRuntime } from '../../emulator.js'
import { authenticate } from '../auth.js'
import { publishEndpoint, sasScope } from '../publish-endpoint.js'

export async function publishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedTopic?: string }): Promise<void> {
  const { emulator, fixedTopic } = opts
  publishEndpoint<TopicRuntime>(app, {
    url: fixedTopic !== undefined ? '/api/events' : '/topics/:topic/api/events',
    bodyLimit: emulator.limits.maxRequestBytes,
    find: (request) => {
      const name = fixedTopic ?? request.params.topic ?? ''
      return emulator.requireTopic(name)
    },
    authenticate: (topic, request) => {
      // A topic without keys accepts any request: nothing to work out for it.
      if (topic.keys.length > 0) authenticate(topic, request, emulator.now(), sasScope(request, fixedTopic === undefined ? topic.name : undefined, 'topics'))
    },
    publish: (topic, body, request) => {
      emulator.publish(topic, body, request.headers['content-type'], request.headers)
      // Without a data dir there is nothing to wait for: the 200 goes out in the same turn.
      if (emulator.isDurable) return emulator.durable()
    }
  })
}
