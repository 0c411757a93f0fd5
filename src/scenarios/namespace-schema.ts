/** JSON Schema of the namespace steps (receive, acknowledge, release, reject); see namespace-steps.ts. */
const name = { type: 'string', minLength: 1 } as const
const address = { namespace: name, topic: name, subscription: name } as const
const required = ['namespace', 'topic', 'subscription']

export const NAMESPACE_STEP_KINDS = {
  receive: {
    type: 'object',
    additionalProperties: false,
    required,
    properties: {
      ...address,
      maxEvents: { type: 'integer', minimum: 1, maximum: 100 },
      count: { type: 'integer', minimum: 0, maximum: 1000 },
      within: { type: ['string', 'number'] },
      key: name,
      eventType: {},
      subject: {},
      eventId: {},
      data: { type: 'object' },
      event: { type: 'object' }
    }
  },
  acknowledge: { type: 'object', additionalProperties: false, required, properties: { ...address, eventId: name, key: name } },
  reject: { type: 'object', additionalProperties: false, required, properties: { ...address, eventId: name, key: name } },
  release: { type: 'object', additionalProperties: false, required, properties: { ...address, eventId: name, key: name, delay: { enum: [0, 10, 60, 600, 3600] } } }
} as const
