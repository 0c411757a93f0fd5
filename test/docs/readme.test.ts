/** The README documents what exists: every ACS alias in its table, every CLI command and every config key. */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { listAcsEventTypes } from '../../src/domain/acs/index.js'

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

t.test('every ACS event type and alias is in the README table', async (t) => {
  for (const type of listAcsEventTypes()) {
    t.ok(readme.includes(`| \`${type.aliases[0]!}\` | \`${type.eventType}\` |`), `${type.eventType} (${type.aliases[0]!})`)
  }
})

t.test('every CLI command and config key is documented', async (t) => {
  for (const command of ['### `serve`', '### `emit`', '### `events`', '### `config check`', '### `filter test`', '### `scenario run`']) t.ok(readme.includes(command), command)
  for (const key of ['server.host', 'server.port', 'server.dataDir', 'delivery.timeScale', 'delivery.deadLetterDir', 'delivery.azureFunctionsHostUrl', 'acs.profile',
    'topics.<name>.topicType', 'topics.<name>.source', 'topics.<name>.resourceId', 'topics.<name>.inputSchema', 'topics.<name>.inputSchemaMapping', 'topics.<name>.keys', 'topics.<name>.port']) {
    t.ok(readme.includes(`\`${key}\``), key)
  }
})
