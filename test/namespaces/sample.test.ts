/**
 * samples/namespace-worker: the emulator runs the sample config, the sample worker pulls from it with the real
 * SDK, and the sample scenario (run against the running emulator, as `scenario run --url` does) passes.
 * A broken variant of the scenario fails with a readable report.
 */
import { readFile } from 'node:fs/promises'
import t from 'tap'
import { loadConfigFile } from '../../src/config/load-config.js'
import { startEmulator } from '../../src/index.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { runScenario } from '../../src/scenarios/run-scenario.js'
import { remoteTargets } from '../../src/scenarios/target-remote.js'
import { startWorker } from '../../samples/namespace-worker/worker.js'

const DIR = 'samples/namespace-worker'

t.test('the sample worker passes the sample scenario', async (t) => {
  const dataDir = t.testdir()
  const config = await loadConfigFile(`${DIR}/config.yaml`, {})
  const eg = await startEmulator({ config, port: 0, dataDir })
  t.teardown(async () => { await eg.close() })
  const worker = startWorker(`${eg.url}/namespaces/shop`)
  t.teardown(async () => { await worker.stop() })
  const text = await readFile(`${DIR}/scenario.yaml`, 'utf8')
  const result = await runScenario(parseScenario(text, `${DIR}/scenario.yaml`, {}), remoteTargets(eg.url))
  t.same(result.problems, [])
  t.same(result.steps.map((s) => [s.title, s.status, s.message]).filter((s) => s[1] !== 'passed'), [])
  t.equal(result.passed, true)
  t.equal(worker.processed, 1)
  t.equal(worker.rejected, 1)

  const broken = await runScenario(parseScenario(text.replace('data: { orderId: 42, total: 30 }', 'data: { orderId: 42, total: 31 }'), `${DIR}/scenario.yaml`, {}), remoteTargets(eg.url))
  t.equal(broken.passed, false)
  const failed = broken.steps.find((s) => s.status === 'failed')!
  t.equal(failed.title, 'the worker published a result for the order')
  t.equal(failed.message, '1 of 1 received event did not match')
  t.match(failed.actual?.join('\n'), /data\.total: expected = 31, got 30/)
})
