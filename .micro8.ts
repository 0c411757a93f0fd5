import { compileFilter, type AdvancedFilter } from './src/domain/filter/index.js'
const e = { id: '1', topic: '/t', subject: '/phonenumber/15551234', eventType: 'Contoso.Orders.Created', eventTime: 'x', data: { messageId: 'a', from: '15550000', to: '15551234', message: 'help me please', counter: 5, priority: 1, isEnabled: true, tags: [1, 2] }, dataVersion: '1.0', metadataVersion: '1' }
const templates: Record<string, AdvancedFilter> = {
  contains: { operatorType: 'StringContains', key: 'data.message', values: ['stop', 'e'] },
  notIn: { operatorType: 'StringNotIn', key: 'data.from', values: ['x', 'y'] },
  lt: { operatorType: 'NumberLessThan', key: 'data.counter', value: 500 },
  isNotNullCI: { operatorType: 'IsNotNull', key: 'Data.Message' },
  eventTypeCI: { operatorType: 'StringIn', key: 'EventType', values: ['a', 'Contoso.Orders.Created'] },
  bool: { operatorType: 'BoolEquals', key: 'data.isEnabled', value: true }
}
const name = process.argv[2]!
const tpl = templates[name]!
const fs = Array.from({ length: 1000 }, () => compileFilter({ advancedFilters: [tpl, tpl, tpl, tpl, tpl] }, 'EventGridSchema'))
let m = 0
for (let r = 0; r < 5; r++) {
  const t0 = performance.now(); const c0 = process.cpuUsage()
  for (let i = 0; i < 300; i++) for (let j = 0; j < 1000; j++) if (fs[j]!.matches(e)) m++
  if (r === 4) { const c = process.cpuUsage(c0); console.log(name.padEnd(12), "wall ns/sub", ((performance.now() - t0) * 1e6 / 300 / 1000).toFixed(1), "cpu ns/sub", ((c.user + c.system) * 1e3 / 300 / 1000).toFixed(1)) }
}
