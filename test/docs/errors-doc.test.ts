/** docs/errors.md documents every status, code and detail code the publish endpoint answers with. */
import { readFileSync } from 'node:fs'
import t from 'tap'
import * as errors from '../../src/errors.js'

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
const rows = doc.split('\n').filter((line) => /^\| \d{3} \|/.test(line))

t.test('every publish-path catalog entry has a row with its status, code and detail code', async (t) => {
  const entries: errors.EmulatorError[] = [
    errors.badRequest('m'), errors.unauthorized('m'), errors.invalidSas('m'), errors.invalidApiVersion('2099-01-01'),
    errors.topicNotFound('x', []), errors.domainNotFound('x', []), errors.resourceNotFound('http://h/x'), errors.methodNotAllowed('GET'),
    errors.requestTooLarge(errors.AZURE_MAX_REQUEST_BYTES), errors.unsupportedMediaType('m'), errors.serviceUnavailable('m'),
    errors.fromRejection(400, 'InvalidCloudEventHeader', 'm'), errors.httpLayerError(414, 'RequestUriTooLong', 'm'),
    errors.httpLayerError(431, 'RequestHeaderFieldsTooLarge', 'm'), errors.httpLayerError(400, 'InvalidContentLength', 'm'),
    errors.httpLayerError(408, 'RequestTimeout', 'm')
  ]
  for (const e of entries) {
    t.ok(rows.some((row) => row.startsWith(`| ${e.statusCode} | \`${e.code}\` | \`${e.detailCode}\` |`)), `${e.statusCode} ${e.code}/${e.detailCode}`)
  }
})

t.test('the documented limits are the ones applied', async (t) => {
  t.match(doc, `The maximum size (${errors.AZURE_MAX_REQUEST_BYTES}) has been exceeded.`)
  t.match(doc, `The maximum size (${errors.AZURE_MAX_EVENT_BYTES}) has been exceeded.`)
  const { DEFAULT_LIMITS } = await import('../../src/domain/publish/rejection.js')
  t.same(DEFAULT_LIMITS, { maxEventBytes: errors.AZURE_MAX_EVENT_BYTES, maxRequestBytes: errors.AZURE_MAX_REQUEST_BYTES, maxEvents: 5000 })
})
