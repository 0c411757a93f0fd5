/**
 * `POST /domains/{domain}/api/events` — publishing to an event domain exactly as the official SDKs do (they treat
 * a domain endpoint like a topic endpoint) — and, on a domain's own port, `POST /api/events`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Emulator } from '../../emulator.js'
import { badRequest, notFound } from '../../errors.js'
import type { DomainRuntime } from '../../event-domains/domain-runtime.js'
import { authenticate } from '../auth.js'
import { acceptEventBodies } from '../content-types.js'
import { sasScope } from './publish.js'

const API_VERSION = '2018-01-01'

type DomainRequest = FastifyRequest<{ Params: { domain?: string }, Querystring: Record<string, string | undefined> }>

export async function domainPublishRoutes (app: FastifyInstance, opts: { emulator: Emulator, fixedDomain?: string }): Promise<void> {
  const { emulator } = opts
  acceptEventBodies(app)
  const domains = new WeakMap<FastifyRequest, DomainRuntime>()
  // As for topics: domain, api-version and credentials are checked before the body is read.
  const onRequest = async (request: DomainRequest): Promise<void> => {
    const name = opts.fixedDomain ?? request.params.domain ?? ''
    const domain = emulator.domain(name)
    if (domain === undefined) throw domainNotFound(name, [...emulator.domains.keys()])
    const version = request.query['api-version']
    if (version !== undefined && version !== API_VERSION) {
      throw badRequest(`The api-version '${version}' is not supported for publishing. The supported api-version is '${API_VERSION}'.`, 'InvalidApiVersion')
    }
    authenticate(domain.scope, request, emulator.now(), sasScope(request, opts.fixedDomain === undefined ? name : undefined, 'domains'))
    domains.set(request, domain)
  }
  const handler = async (request: DomainRequest): Promise<string> => {
    emulator.publishToDomain(domains.get(request)!, request.body, request.headers['content-type'])
    return ''
  }
  const route = { bodyLimit: emulator.limits.maxRequestBytes, onRequest }
  if (opts.fixedDomain !== undefined) app.post('/api/events', route, handler)
  else app.post('/domains/:domain/api/events', route, handler)
}

export function domainNotFound (name: string, known: string[]): Error {
  return notFound(`Domain '${name}' is not configured. Configured domains: ${known.length > 0 ? known.join(', ') : '(none)'}. Add it under domains: in the config file or check the URL.`)
}
