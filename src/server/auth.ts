/**
 * Publish authentication (reference §1.3): an access key (`aeg-sas-key` header or query), or a SAS token
 * (`aeg-sas-token` or `Authorization: SharedAccessSignature …`). Topics without keys accept any request.
 */
import type { FastifyRequest } from 'fastify'
import { verifyAccessKey, verifySasToken } from '../domain/sas.js'
import { badRequest, unauthorized } from '../errors.js'
import type { TopicRuntime } from '../emulator.js'

export function authenticate (topic: TopicRuntime, request: FastifyRequest, now: Date): void {
  if (topic.keys.length === 0) return
  const header = (name: string): string | undefined => {
    const v = request.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const query = request.query as Record<string, string | undefined>
  const key = header('aeg-sas-key') ?? query['aeg-sas-key']
  if (key !== undefined) {
    if (verifyAccessKey(key, topic.keys)) return
    throw unauthorized(`The access key in aeg-sas-key is not valid for ${topic.domain !== undefined ? 'domain' : 'topic'} '${topic.name}'. Use one of the keys configured under ${topic.domain !== undefined ? 'domains' : 'topics'}.${topic.name}.keys.`)
  }
  const authorization = header('authorization')
  let token = header('aeg-sas-token')
  if (token === undefined && authorization !== undefined) {
    const [scheme, ...rest] = authorization.split(' ')
    if (scheme?.toLowerCase() === 'sharedaccesssignature') token = rest.join(' ')
    // Entra ID tokens cannot be verified offline: accepted as-is (README, Differences from Azure).
    else if (scheme?.toLowerCase() === 'bearer' && rest.length > 0) return
    else throw unauthorized(`The Authorization header scheme '${scheme ?? ''}' is not supported: use 'SharedAccessSignature r=…&e=…&s=…' or 'Bearer <token>'.`)
  }
  if (token === undefined) {
    throw unauthorized(`${topic.domain !== undefined ? 'Domain' : 'Topic'} '${topic.name}' requires authentication: send the aeg-sas-key header (or query parameter), an aeg-sas-token header, or Authorization: SharedAccessSignature <token>.`)
  }
  const result = verifySasToken(token, topic.keys, now)
  if (result.ok) return
  throw result.status === 400 ? badRequest(result.message, 'InvalidSasToken') : unauthorized(result.message)
}
