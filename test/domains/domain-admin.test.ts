/**
 * /admin/domains: listing domain topics with their subscriptions, runtime PUT/DELETE of domain-scope and
 * domain-topic subscriptions, autoCreateTopicWithFirstSubscription / autoDeleteTopicWithLastSubscription, and
 * Azure's limits.
 */
import t from 'tap'
import { buildTestApp, egEvent, startTestEmulator } from '../helpers/build.js'

const YAML = `
domains:
  shop:
    subscriptions:
      audit:
        destination: { endpointType: WebHook, properties: { endpointUrl: /sink/audit } }
    topics:
      tenant-a:
        subscriptions:
          a-orders:
            destination: { endpointType: WebHook, properties: { endpointUrl: /sink/a } }
  manual:
    autoCreateTopicWithFirstSubscription: false
    autoDeleteTopicWithLastSubscription: false
`
const BODY = { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/new' } }, validation: 'skip' }
const DOMAIN_ID = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.EventGrid/domains'

type Listing = { value: Array<{ name: string, autoCreateTopicWithFirstSubscription: boolean, subscriptions: Array<{ name: string }>, topics: Array<{ name: string, resourceId: string, subscriptions: Array<{ name: string }> }> }> }

t.test('GET /admin/domains lists domains, domain-scope subscriptions and domain topics', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const res = await app.inject({ method: 'GET', url: '/admin/domains' })
  t.equal(res.statusCode, 200)
  const [shop, manual] = res.json<Listing>().value
  t.match(shop, {
    name: 'shop',
    resourceId: `${DOMAIN_ID}/shop`,
    inputSchema: 'EventGridSchema',
    endpoint: 'http://127.0.0.1/domains/shop/api/events',
    authRequired: false,
    autoCreateTopicWithFirstSubscription: true,
    autoDeleteTopicWithLastSubscription: true,
    subscriptions: [{ name: 'audit', provisioningState: 'Creating' }],
    topics: [{ name: 'tenant-a', resourceId: `${DOMAIN_ID}/shop/topics/tenant-a`, subscriptions: [{ name: 'a-orders' }] }]
  })
  t.match(manual, { name: 'manual', autoCreateTopicWithFirstSubscription: false, autoDeleteTopicWithLastSubscription: false, subscriptions: [], topics: [] })
})

t.test('PUT on a new domain topic creates it (auto-create), DELETE of its last subscription deletes it (auto-delete)', async (t) => {
  const eg = await startTestEmulator(t, YAML)
  const put = await eg.app.inject({ method: 'PUT', url: '/admin/domains/shop/topics/tenant-b/subscriptions/b-orders', payload: { properties: BODY } })
  t.equal(put.statusCode, 201)
  t.match(put.json(), { name: 'b-orders', topic: 'shop/tenant-b' })
  let listing = (await eg.app.inject({ method: 'GET', url: '/admin/domains' })).json<Listing>().value[0]!
  t.same(listing.topics.map((x) => x.name), ['tenant-a', 'tenant-b'], 'auto-created domain topic listed')
  eg.publishToDomain('shop', [egEvent({ id: 'to-b', topic: 'tenant-b' })])
  const records = await eg.waitForDeliveries((r) => r.eventIds.includes('to-b') && r.outcome === 'Delivered', 2)
  t.same(records.map((r) => `${r.topic}/${r.subscription}`).sort(), ['shop/audit', 'shop/tenant-b/b-orders'])
  t.equal((await eg.app.inject({ method: 'GET', url: '/admin/domains/shop/topics/tenant-b/subscriptions/b-orders' })).statusCode, 200)
  const del = await eg.app.inject({ method: 'DELETE', url: '/admin/domains/shop/topics/tenant-b/subscriptions/b-orders' })
  t.equal(del.statusCode, 204)
  listing = (await eg.app.inject({ method: 'GET', url: '/admin/domains' })).json<Listing>().value[0]!
  t.same(listing.topics.map((x) => x.name), ['tenant-a'], 'the domain topic went with its last subscription')
})

t.test('autoCreateTopicWithFirstSubscription: false → 404 until the domain topic is created; auto-delete off keeps it', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const refused = await app.inject({ method: 'PUT', url: '/admin/domains/manual/topics/t-one/subscriptions/s-one', payload: BODY })
  t.equal(refused.statusCode, 404)
  t.equal(refused.json<{ error: { message: string } }>().error.message,
    "Domain topic 't-one' does not exist in domain 'manual', and autoCreateTopicWithFirstSubscription is false: create it first (PUT /admin/domains/manual/topics/t-one or domains.manual.topics.t-one in the config).")
  const created = await app.inject({ method: 'PUT', url: '/admin/domains/manual/topics/t-one' })
  t.equal(created.statusCode, 201)
  t.same(created.json(), { name: 't-one', resourceId: `${DOMAIN_ID}/manual/topics/t-one`, subscriptions: [] })
  t.equal((await app.inject({ method: 'PUT', url: '/admin/domains/manual/topics/t-one' })).statusCode, 200, 'idempotent')
  t.equal((await app.inject({ method: 'PUT', url: '/admin/domains/manual/topics/t-one/subscriptions/s-one', payload: BODY })).statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/domains/manual/topics/t-one/subscriptions/s-one' })).statusCode, 204)
  const listing = (await app.inject({ method: 'GET', url: '/admin/domains' })).json<Listing>().value[1]!
  t.same(listing.topics.map((x) => x.name), ['t-one'], 'kept: autoDeleteTopicWithLastSubscription is false')
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/domains/manual/topics/t-one' })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/domains/manual/topics/t-one' })).statusCode, 404)
})

t.test('domain-scope subscriptions: PUT, GET, DELETE', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  t.equal((await app.inject({ method: 'PUT', url: '/admin/domains/shop/subscriptions/second', payload: BODY })).statusCode, 201)
  t.equal((await app.inject({ method: 'PUT', url: '/admin/domains/shop/subscriptions/second', payload: BODY })).statusCode, 200, 'replace')
  const list = (await app.inject({ method: 'GET', url: '/admin/domains/shop/subscriptions' })).json<{ value: Array<{ name: string, topic: string }> }>()
  t.same(list.value.map((s) => `${s.topic}:${s.name}`), ['shop:audit', 'shop:second'])
  t.equal((await app.inject({ method: 'DELETE', url: '/admin/domains/shop/subscriptions/second' })).statusCode, 204)
  const gone = await app.inject({ method: 'GET', url: '/admin/domains/shop/subscriptions/second' })
  t.equal(gone.statusCode, 404)
  t.equal(gone.json<{ error: { message: string } }>().error.message, "Subscription 'second' does not exist on domain 'shop' (domain scope).")
})

t.test('bad requests get exact errors', async (t) => {
  const { app } = await buildTestApp(t, YAML)
  const bad = await app.inject({ method: 'PUT', url: '/admin/domains/shop/topics/tenant-c/subscriptions/s-1', payload: { destination: { endpointType: 'WebHook', properties: {} } } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json<{ error: { message: string } }>().error.message, /^Invalid subscription 's-1':\n/)
  const listing = (await app.inject({ method: 'GET', url: '/admin/domains' })).json<Listing>().value[0]!
  t.same(listing.topics.map((x) => x.name), ['tenant-a'], 'a refused first subscription creates no domain topic')
  const noDomain = await app.inject({ method: 'GET', url: '/admin/domains/nope/subscriptions' })
  t.equal(noDomain.statusCode, 404)
  t.equal(noDomain.json<{ error: { message: string } }>().error.message, "Domain 'nope' is not configured. Configured domains: shop, manual. Add it under domains: in the config file or check the URL.")
  const noTopic = await app.inject({ method: 'GET', url: '/admin/domains/shop/topics/zzz/subscriptions' })
  t.equal(noTopic.statusCode, 404)
  t.equal(noTopic.json<{ error: { message: string } }>().error.message, "Domain topic 'zzz' does not exist in domain 'shop'. Domain topics: tenant-a.")
  const badName = await app.inject({ method: 'PUT', url: '/admin/domains/shop/topics/a%20b' })
  t.equal(badName.statusCode, 400)
  t.equal(badName.json<{ error: { message: string } }>().error.message, "Domain topic name 'a b' is not valid: use 3-128 letters, digits, '-', '_' or '.', starting with a letter or digit.")
})

t.test('Azure limit: 50 domain-scope subscriptions', async (t) => {
  const { app } = await buildTestApp(t, 'domains:\n  shop: {}\n')
  for (let i = 0; i < 50; i++) {
    const res = await app.inject({ method: 'PUT', url: `/admin/domains/shop/subscriptions/sub-${i}`, payload: BODY })
    if (res.statusCode !== 201) t.fail(`sub-${i}: ${res.statusCode}`)
  }
  const over = await app.inject({ method: 'PUT', url: '/admin/domains/shop/subscriptions/sub-50', payload: BODY })
  t.equal(over.statusCode, 400)
  t.equal(over.json<{ error: { message: string } }>().error.message, "Invalid subscription 'sub-50':\n(body): domain 'shop' already has 50 domain-scope subscriptions; Event Grid allows at most 50")
  t.equal((await app.inject({ method: 'PUT', url: '/admin/domains/shop/subscriptions/sub-0', payload: BODY })).statusCode, 200, 'replacing one is still allowed')
})
