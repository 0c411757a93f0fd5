/**
 * Namespace steps in scenarios run in-process (the CLI's default target): a scenario declares its namespace,
 * publishes, receives with expectations, releases, rejects; bad steps are refused at load with file:line:col.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError } from '../../src/config/load-config.js'
import { parseScenario } from '../../src/scenarios/load-scenario.js'
import { runScenario } from '../../src/scenarios/run-scenario.js'
import { localTargets } from '../../src/scenarios/target-local.js'
import { scenarioRun } from '../scenarios/run-cli.js'

const SCENARIO = `
name: pull subscription round trip
namespaces:
  ns-test:
    keys: [a2V5LW9uZQ==]
    topics:
      jobs:
        eventSubscriptions:
          runner:
            deliveryConfiguration:
              deliveryMode: Queue
              queue:
                # The longest lock ARM allows: at the test's time scale it is still seconds of real time, so a
                # stalled machine cannot let it expire between a receive and the release or reject that follows.
                receiveLockDurationInSeconds: 300
                deadLetterDestinationWithResourceIdentity:
                  deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead } }
            filtersConfiguration: { includedEventTypes: [Jobs.Queued] }
steps:
  - id: job
    publish:
      namespace: ns-test
      topic: jobs
      events:
        - { specversion: "1.0", type: Jobs.Queued, source: /jobs, data: { n: 1 } }
        - { specversion: "1.0", type: Jobs.Ignored, source: /jobs, data: { n: 2 } }
  - receive: { namespace: ns-test, topic: jobs, subscription: runner, count: 1, eventType: Jobs.Queued, data: { n: 1 }, within: 2s }
  - release: { namespace: ns-test, topic: jobs, subscription: runner, delay: 10 }
  - receive: { namespace: ns-test, topic: jobs, subscription: runner, count: 1, eventId: "\${steps.job.id}", within: 2s }
  - reject: { namespace: ns-test, topic: jobs, subscription: runner }
  - expectDeadLetter: { topic: ns-test/jobs, subscription: runner, eventId: "\${steps.job.id}", reason: Rejected, within: 2s }
  - receive: { namespace: ns-test, topic: jobs, subscription: runner, count: 0, within: 100ms }
`

t.test('a scenario publishes, receives, releases and rejects on a namespace it declares', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'ns.yaml')
  await writeFile(file, SCENARIO)
  // Time scale 0.01: the 300 s lock is 3 s of real time, the release's 10 s delay 100 ms.
  const { code, out } = await scenarioRun([file, '--time-scale', '0.01'])
  t.equal(code, 0, out)
  t.match(out, /PASS {2}pull subscription round trip .*7 steps passed/)
  const result = await runScenario(parseScenario(SCENARIO, 'ns.yaml', {}), await localTargets({ timeScale: 0.01, env: {} }))
  t.same(result.steps.map((s) => `${s.status} ${s.title}`), [
    "passed publish 2 events to 'ns-test/jobs'",
    "passed receive 1 event from 'runner' of namespace topic 'ns-test/jobs' within 2s",
    "passed release the received events on 'runner' of namespace topic 'ns-test/jobs' (delay 10 s)",
    "passed receive 1 event from 'runner' of namespace topic 'ns-test/jobs' within 2s",
    "passed reject the received events on 'runner' of namespace topic 'ns-test/jobs'",
    "passed expect a dead letter from 'runner'",
    "passed receive 0 events from 'runner' of namespace topic 'ns-test/jobs' within 100ms"
  ])
})

t.test('a failing receive explains what arrived; settling with nothing received fails clearly', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'ns.yaml')
  await writeFile(file, SCENARIO.replace('count: 1, eventType: Jobs.Queued, data: { n: 1 }', 'count: 2, eventType: Jobs.Queued, data: { n: 1 }').replace('within: 2s }\n  - release', 'within: 200ms }\n  - release'))
  // Time scale 1: with a scaled 60 s lock the first event could expire and come back within the step.
  const { code, out } = await scenarioRun([file, '--time-scale', '1'])
  t.equal(code, 1)
  t.match(out, /expected 2 events from 'runner' of namespace topic 'ns-test\/jobs' within 200ms, received 1/)

  await writeFile(file, SCENARIO.replace(/ {2}- receive: \{ namespace: ns-test, topic: jobs, subscription: runner, count: 1, eventType[^\n]*\n/, ''))
  const second = await scenarioRun([file, '--time-scale', '0.001'])
  t.equal(second.code, 1)
  t.match(second.out, /nothing to release: no earlier receive step holds unsettled events from 'runner' of namespace topic 'ns-test\/jobs'/)
})

t.test('bad namespace steps are refused at load with file:line:col', async (t) => {
  const text = `name: bad
steps:
  - receive: { namespace: n, topic: t }
  - release: { namespace: n, topic: t, subscription: s, delay: 5 }
  - receive: { namespace: n, topic: t, subscription: s, within: soon }
`
  let problems: string[] = []
  try { parseScenario(text, 's.yaml', {}) } catch (err) { problems = (err as ConfigError).problems.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`) }
  t.same(problems, [
    "s.yaml:3:14 steps[0].receive: missing required key 'subscription'",
    's.yaml:4:64 steps[1].release.delay: number 5 is not allowed. Allowed values: 0, 10, 60, 600, 3600.',
    's.yaml:5:65 steps[2].receive.within: "soon" is not a duration: write 250ms, 2s, 1.5m, 1h or a number of milliseconds'
  ])
})
