/**
 * `POST /domains/{domain}/api/events` — publishing to an event domain exactly as the official SDKs do — and, on a
 * domain's own port, `POST /api/events`. Azure's domain endpoint is a publish endpoint like a topic's, so it is
 * built by the same ../publish-endpoint.ts (headers, OPTIONS, 405, api-version, body limit, binary mode); only
 * finding the domain, its keys (SAS scope `/domains/NAME`) and routing to domain topics differ.
 */
import type { FastifyInstance } from 'fastify'
import type { Emulator } from '../../emulator.js'
import { domainNotFound } from '../../errors.js'
import type { DomainRuntime } from '../../event-domains/domain-runtime.js'
import { authenticate } from '../auth.js'
import { publishEndpoint, sasScope } from '../publish-endpoint.js'

export async function domainPublishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedDomain?: string }): Promise<void> {
  const { emulator, fixedDomain } = opts
  publishEndpoint<DomainRuntime>(app, {
    url: fixedDomain !== undefined ? '/api/events' : '/domains/:domain/api/events',
    bodyLimit: emulator.limits.maxRequestBytes,
    find: (request) => {
      const name = fixedDomain ?? request.params.domain ?? ''
      const domain = emulator.domain(name)
      if (domain === undefined) throw domainNotFound(name, [...emulator.domains.keys()])
      return domain
    },
    // The domain-scope runtime carries the domain's keys and name, so 401 messages say "domain 'NAME'".
    authenticate: (domain, request) => {
      if (domain.scope.keys.length > 0) authenticate(domain.scope, request, emulator.now(), sasScope(request, fixedDomain === undefined ? domain.name : undefined, 'domains'))
    },
    publish: (domain, body, request) => {
      emulator.publishToDomain(domain, body, request.headers['content-type'], request.headers)
      if (emulator.isDurable) return emulator.durable()
    }
  })
}
