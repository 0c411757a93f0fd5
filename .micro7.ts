import { compileAdvancedFilter, Outcome } from './src/domain/filter/advanced.js'
import { normalizeFilter } from './src/domain/filter/normalize.js'
import { compileFilter } from './src/domain/filter/index.js'
const e = { id: '1', topic: '/t', subject: '/phonenumber/15551234', eventType: 'Contoso.Orders.Created', eventTime: 'x', data: { messageId: 'a', from: '15550000', to: '15551234', message: 'help me please', counter: 5, priority: 1, isEnabled: true, tags: [1, 2] }, dataVersion: '1.0', metadataVersion: '1' }
function time(name: string, n: number, fn: () => unknown) {
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now(); let x: unknown
    for (let i = 0; i < n; i++) x = fn()
    if (r >= 3) console.log(name.padEnd(28), ((performance.now() - t0) * 1e6 / n).toFixed(1), 'ns/op', x !== 7)
  }
}
const lt = { operatorType: 'NumberLessThan', key: 'data.counter', value: 500 }
type Ev = Record<string, unknown>
function from(clauses: Array<{ test: (e: Ev) => boolean }>) {
  return { matches(event: Ev) { for (let i = 0; i < clauses.length; i++) if (!clauses[i]!.test(event)) return false; return true } }
}
function build(normalize: boolean) {
  const f = normalize ? normalizeFilter({ advancedFilters: Array(5).fill(lt) }).advancedFilters! : Array(5).fill(lt)
  const clauses: Array<{ test: (e: Ev) => boolean }> = []
  f.forEach((a, index) => { const c = compileAdvancedFilter(a, index, false); clauses.push({ test: ev => c.evaluate(ev) === Outcome.Matched }) })
  return from(clauses)
}
for (const variant of ['raw', 'normalized', 'compileFilter']) {
  const subs = Array.from({ length: 1000 }, () => variant === 'compileFilter' ? compileFilter({ advancedFilters: Array(5).fill(lt) }, 'EventGridSchema') : build(variant === 'normalized'))
  let k = 0
  time(variant, 2e5, () => subs[(k++) % 1000]!.matches(e))
}
