/** A topic with its own `port:` also answers POST /api/events there, like a real topic endpoint. */
import t from 'tap'
import { request } from 'undici'
import { egEvent, startTestEmulator } from '../helpers/build.js'
import { withFreePort } from '../helpers/free-port.js'

t.test('POST /api/events on the topic port publishes to that topic, with its keys', async (t) => {
  let port = 0
  const eg = await withFreePort(async (free) => {
    port = free
    return await startTestEmulator(t, `
topics:
  orders:
    port: ${port}
    keys: [bG9jYWwtZGV2LWtleQ==]
    subscriptions:
      to-sink:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/orders } }
`)
  })
  const url = `http://127.0.0.1:${port}/api/events?api-version=2018-01-01`
  const denied = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([egEvent()]) })
  t.equal(denied.statusCode, 401)
  await denied.body.dump()
  const ok = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-sas-key': 'bG9jYWwtZGV2LWtleQ==' }, body: JSON.stringify([egEvent({ id: 'via-port' })]) })
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  await eg.waitForDeliveries((r) => r.eventIds.includes('via-port') && r.outcome === 'Delivered')
  t.pass('delivered')
})

t.test('config check accepts config.example.yaml', async (t) => {
  const { configCheck } = await import('../../src/cli/commands/config-check.js')
  let out = ''
  const code = await configCheck([new URL('../../config.example.yaml', import.meta.url).pathname], { stdout: (s) => { out += s }, stderr: (s) => { out += s }, env: {} })
  t.equal(code, 0, out)
  t.match(out, /OK \(3 topics, 3 subscriptions\)/)
})

t.test('an ACS topic\'s own port serves the ACS data plane for that topic alone', async (t) => {
  const { SmsClient } = await import('@azure/communication-sms')
  const { defaultAcsAccessKey } = await import('../../src/domain/acs-messaging/index.js')
  let port = 0
  const acs = (name: string, extra = ''): string => `
  ${name}:
    topicType: Microsoft.Communication.CommunicationServices
    source: /subscriptions/0/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/${name}${extra}`
  const eg = await withFreePort(async (free) => { port = free; return await startTestEmulator(t, `topics:${acs('first', `\n    port: ${port}`)}${acs('second')}`) })
  const own = `endpoint=http://127.0.0.1:${port}/;accesskey=`
  const [sent] = await new SmsClient(`${own}${defaultAcsAccessKey('first')}`, { allowInsecureConnection: true }).send({ from: '+18005550100', to: ['+14255550123'], message: 'hi' })
  t.equal(sent!.successful, true)
  t.equal(eg.emulator.acs.list('first').length, 1)
  const refused = await new SmsClient(`${own}${defaultAcsAccessKey('second')}`, { allowInsecureConnection: true }).send({ from: '+18005550100', to: ['+14255550123'], message: 'hi' }).catch((e: unknown) => e) as { statusCode?: number }
  t.equal(refused.statusCode, 401, 'another ACS topic\'s key does not sign on this port')
  t.equal(eg.emulator.acs.list('second').length, 0)
})
