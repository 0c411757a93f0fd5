import { compileAdvancedFilter } from './src/domain/filter/advanced.js'
import { compileFilter } from './src/domain/filter/index.js'
const e = { id: '1', topic: '/t', subject: '/phonenumber/15551234', eventType: 'Contoso.Orders.Created', eventTime: 'x', data: { messageId: 'a', from: '15550000', to: '15551234', message: 'help me please', counter: 5, priority: 1, isEnabled: true, tags: [1, 2] }, dataVersion: '1.0', metadataVersion: '1' }
function time(name: string, n: number, fn: () => unknown) {
  for (let r = 0; r < 4; r++) {
    const t0 = performance.now(); let x: unknown
    for (let i = 0; i < n; i++) x = fn()
    if (r >= 2) console.log(name.padEnd(24), ((performance.now() - t0) * 1e6 / n).toFixed(1), 'ns/op', x !== 7)
  }
}
const lt = { operatorType: 'NumberLessThan', key: 'data.counter', value: 500 }
for (const count of [1000, 5000]) {
  const fs = Array.from({ length: count }, () => compileAdvancedFilter(lt, 0, false))
  let k = 0
  time(`evaluate x${count}`, 1e6, () => fs[(k++) % count]!.evaluate(e))
}
const subs = Array.from({ length: 1000 }, () => compileFilter({ advancedFilters: Array(5).fill(lt) }, 'EventGridSchema'))
let k = 0
time('matches 1000x5', 2e5, () => subs[(k++) % 1000]!.matches(e))
{
  const clauseSets = Array.from({ length: 1000 }, () => Array.from({ length: 5 }, () => { const c = compileAdvancedFilter(lt, 0, false); return { test: (ev: Record<string, unknown>) => c.evaluate(ev) === 0 } }))
  let j = 0
  time('manual clauses 1000x5', 2e5, () => { const cs = clauseSets[(j++) % 1000]!; for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(e)) return false; return true })
  const evalSets = Array.from({ length: 1000 }, () => Array.from({ length: 5 }, () => compileAdvancedFilter(lt, 0, false)))
  time('evaluate sets 1000x5', 2e5, () => { const cs = evalSets[(j++) % 1000]!; for (let i = 0; i < cs.length; i++) if (cs[i]!.evaluate(e) !== 0) return false; return true })
}
import { Outcome } from './src/domain/filter/advanced.js'
{
  const clauseSets = Array.from({ length: 1000 }, () => Array.from({ length: 5 }, () => { const c = compileAdvancedFilter(lt, 0, false); return { test: (ev: Record<string, unknown>) => c.evaluate(ev) === Outcome.Matched } }))
  let j = 0
  time('Outcome clauses 1000x5', 2e5, () => { const cs = clauseSets[(j++) % 1000]!; for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(e)) return false; return true })
}
