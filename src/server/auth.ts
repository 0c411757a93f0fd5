/**
 * Publish authentication (reference §1.3): an access key (`aeg-sas-key` header or query), or a SAS token
 * (`aeg-sas-token` or `Authorization: SharedAccessSignature …`) scoped to the endpoint it is presented to.
 * Topics without keys accept any request. Messages start with Azure's wording, then say what to do.
 */
import type { FastifyRequest } from 'fastify'
import { verifyAccessKey, verifySasToken, type SasScope } from '../domain/sas.js'
import { badRequest, invalidSas, unauthorized } from '../errors.js'
import type { TopicRuntime } from '../emulator.js'

const REQUIRES = 'Request must contain one of the following authorization signature: aeg-sas-token, aeg-sas-key.'

export function authenticate (topic: TopicRuntime, request: FastifyRequest, now: Date, scope: SasScope): void {
  if (topic.keys.length === 0) return
  const header = (name: string): string | undefined => {
    const v = request.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const query = request.query as Record<string, string | undefined>
  const key = header('aeg-sas-key') ?? query['aeg-sas-key']
  if (key !== undefined) {
    // Azure answers an empty credential with 400 InvalidSas, a wrong one with 401.
    if (key.trim() === '') throw invalidSas('Request must have a value for aeg-sas-key.')
    if (verifyAccessKey(key, topic.keys)) return
    const kind = topic.domain !== undefined ? 'domain' : 'topic'
    throw unauthorized(`The request authorization key is not authorized for ${scope.base.split('/')[0]!.toUpperCase()}. The access key in aeg-sas-key is not valid for ${kind} '${topic.name}'; use one of the keys configured under ${kind}s.${topic.name}.keys.`)
  }
  const authorization = header('authorization')
  let token = header('aeg-sas-token')
  if (token !== undefined && token.trim() === '') throw invalidSas('Request must have a value for aeg-sas-token.')
  if (token === undefined && authorization !== undefined) {
    const [scheme, ...rest] = authorization.split(' ')
    if (scheme?.toLowerCase() === 'sharedaccesssignature') token = rest.join(' ')
    // Entra ID tokens cannot be verified offline: accepted as-is (README, Differences from Azure).
    else if (scheme?.toLowerCase() === 'bearer' && rest.length > 0) return
    else throw unauthorized(`${REQUIRES} The Authorization header scheme '${scheme ?? ''}' is not supported: use 'SharedAccessSignature r=…&e=…&s=…' or 'Bearer <token>'.`)
  }
  if (token === undefined) {
    throw unauthorized(`${REQUIRES} ${topic.domain !== undefined ? 'Domain' : 'Topic'} '${topic.name}' requires authentication: send the aeg-sas-key header (or query parameter), an aeg-sas-token header, or Authorization: SharedAccessSignature <token>.`)
  }
  const result = verifySasToken(token, topic.keys, now, scope)
  if (result.ok) return
  throw result.status === 400 ? badRequest(result.message, 'InvalidSasToken') : unauthorized(result.message)
}
