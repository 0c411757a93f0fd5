/**
 * Namespace data-plane authentication (reference §8): `Authorization: SharedAccessKey <key>` (what
 * @azure/eventgrid-namespaces sends for an AzureKeyCredential), a SAS token (`Authorization:
 * SharedAccessSignature …` or `aeg-sas-token`), `aeg-sas-key`, or an Entra bearer token (not verifiable offline,
 * accepted as-is, like topics). Namespaces without keys accept any request.
 */
import type { FastifyRequest } from 'fastify'
import { verifyAccessKey, verifySasToken } from '../domain/sas.js'
import { badRequest, unauthorized } from '../errors.js'
import type { NsNamespace } from '../namespaces/model.js'

export function authenticateNamespace (ns: NsNamespace, request: FastifyRequest, now: Date): void {
  if (ns.keys.length === 0) return
  const header = (name: string): string | undefined => {
    const v = request.headers[name]
    return Array.isArray(v) ? v[0] : v
  }
  const where = `namespaces.${ns.name}.keys`
  const key = header('aeg-sas-key')
  if (key !== undefined) {
    if (verifyAccessKey(key, ns.keys)) return
    throw unauthorized(`The access key in aeg-sas-key is not valid for namespace '${ns.name}'. Use one of the keys configured under ${where}.`)
  }
  let token = header('aeg-sas-token')
  const authorization = header('authorization')
  if (token === undefined && authorization !== undefined) {
    const space = authorization.indexOf(' ')
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase()
    const value = space < 0 ? '' : authorization.slice(space + 1).trim()
    if (scheme === 'sharedaccesskey') {
      if (verifyAccessKey(value, ns.keys)) return
      throw unauthorized(`The key in 'Authorization: SharedAccessKey …' is not valid for namespace '${ns.name}'. Use one of the keys configured under ${where}.`)
    }
    if (scheme === 'sharedaccesssignature') token = value
    else if (scheme === 'bearer' && value !== '') return
    else throw unauthorized(`The Authorization header scheme '${scheme}' is not supported: use 'SharedAccessKey <key>', 'SharedAccessSignature r=…&e=…&s=…' or 'Bearer <token>'.`)
  }
  if (token === undefined) {
    throw unauthorized(`Namespace '${ns.name}' requires authentication: send 'Authorization: SharedAccessKey <key>' (AzureKeyCredential), 'Authorization: SharedAccessSignature <token>', or an aeg-sas-key / aeg-sas-token header.`)
  }
  const result = verifySasToken(token, ns.keys, now)
  if (result.ok) return
  throw result.status === 400 ? badRequest(result.message, 'InvalidSasToken') : unauthorized(result.message.replace('this topic', `namespace '${ns.name}'`))
}
