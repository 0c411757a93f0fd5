/** The emulator configs the benchmarks start: one topic `bench` and its webhook subscriptions, as YAML. */

/** A config with the topic `bench` holding `subscriptions` (from webhook()), after `extra` top-level YAML. */
export const topicYaml = (subscriptions: string, extra = ''): string => `
${extra}
topics:
  bench:
    subscriptions:${subscriptions}
`

/**
 * One webhook subscription without the validation handshake: `props` is added to the destination's properties,
 * `filter` is the subscription's filter, `lines` are further keys of the subscription (indented 8 spaces).
 */
export const webhook = (name: string, url: string, props = '', filter = '', lines = ''): string => `
      ${name}:
        validation: skip
        destination: { endpointType: WebHook, properties: { endpointUrl: "${url}"${props} } }${filter !== '' ? `\n        filter: ${filter}` : ''}${lines !== '' ? `\n        ${lines}` : ''}`
