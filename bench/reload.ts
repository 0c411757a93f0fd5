/**
 * Hot-reload benchmark: applying an edited config (one filter changed among N subscriptions) to a running
 * emulator, against the baseline of just parsing and validating the same file, measured in the same run.
 * Run: `node --import tsx bench/reload.ts [subscriptions] [rounds]` (default 1,000 subscriptions, 3 rounds).
 */
import { parseConfig } from '../src/config/load-config.js'
import type { Clock, Transport } from '../src/delivery/ports.js'
import { composeEmulator } from '../src/compose.js'
import { applyConfig } from '../src/reload/apply-config.js'

const count = Number(process.argv[2] ?? 1_000)
const rounds = Number(process.argv[3] ?? 3)
const TOPICS = 10

const yaml = (type: string): string => 'topics:\n' + Array.from({ length: TOPICS }, (_, t) => `  topic-${t}:\n    subscriptions:\n` +
  Array.from({ length: count / TOPICS }, (_, s) => `      sub-${s}:\n        validation: skip\n        destination: { endpointType: WebHook, properties: { endpointUrl: "http://127.0.0.1:1/${t}/${s}" } }\n` +
    `        filter: { includedEventTypes: [${t === 0 && s === 0 ? type : 'Contoso.A'}], advancedFilters: [{ operatorType: StringIn, key: data.kind, values: [a, b, c] }] }\n`).join('')).join('')

const clock: Clock = { now: () => Date.now(), setTimer: () => ({ id: 0 }), clearTimer: () => {} }
const transport: Transport = { send: async () => ({ status: 200, headers: {}, durationMs: 0 }), close: async () => {}, destroy: async () => {} }
const texts = [yaml('Contoso.A'), yaml('Contoso.B')]
const emulator = composeEmulator(parseConfig(texts[0]!, 'bench.yaml', {}), { clock, transport })

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const parseMs: number[] = []
const reloadMs: number[] = []
let flip = 1
for (let r = 0; r < rounds + 1; r++) {
  const text = texts[flip]!
  flip = 1 - flip
  let start = performance.now()
  parseConfig(text, 'bench.yaml', {})
  const parsed = performance.now() - start
  start = performance.now()
  const diff = applyConfig(emulator, parseConfig(text, 'bench.yaml', {}))
  const reloaded = performance.now() - start
  if ([...diff.subscriptions.values()].flat().length !== 1) throw new Error('expected exactly one changed subscription')
  if (r > 0) { parseMs.push(parsed); reloadMs.push(reloaded) } // round 0 warms up
}
const p = median(parseMs)
const a = median(reloadMs)
console.log(`${count} subscriptions on ${TOPICS} topics, one filter changed; median of ${rounds} rounds`)
console.log(`parse + validate only (baseline): ${p.toFixed(1)} ms`)
console.log(`reload (parse + validate + diff + apply): ${a.toFixed(1)} ms`)
console.log(`ratio reload/parse: ${(a / p).toFixed(2)}`)
await emulator.close(0)
