/**
 * Assertions for Event Grid's error body as the publish endpoint sends it (docs/errors.md): exact status, `code`,
 * a single detail with its code, `error.message` equal to the detail's, and Azure's "Report '<id>:<time> (UTC)'"
 * suffix naming this response's `x-ms-request-id`. Returns the message without the suffix, for exact checks.
 */
import type { Test } from 'tap'

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
export const SUFFIX = / Report '([0-9a-f-]{36}):\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M \(UTC\)' to our forums for assistance or raise a support ticket\.$/

export interface ErrorBody { error: { code: string, message: string, details: Array<{ code: string, message: string }> } }
interface ErrorResponse { statusCode: number, headers: Record<string, unknown>, body: string }

export function azureError (t: Test, res: ErrorResponse, status: number, code: string, detail: string): string {
  t.equal(res.statusCode, status, `status ${status}`)
  const { error } = JSON.parse(res.body) as ErrorBody
  t.equal(error.code, code, 'error.code')
  t.equal(error.details.length, 1)
  t.equal(error.details[0]!.code, detail, 'details[0].code')
  t.equal(error.message, error.details[0]!.message, 'error.message equals details[0].message')
  const match = SUFFIX.exec(error.message)
  t.ok(match, `message ends with Azure's suffix: ${error.message}`)
  t.match(res.headers['x-ms-request-id'], GUID)
  t.equal(match?.[1], res.headers['x-ms-request-id'], "the suffix names this response's x-ms-request-id")
  return error.message.replace(SUFFIX, '')
}
