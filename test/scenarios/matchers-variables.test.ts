/** The pure pieces: field matchers, dotted paths, `${steps.…}`/`${vars.…}` references. */
import t from 'tap'
import { compileMatcher, describeMatcher, matcherProblem, testMatcher, valueAtPath } from '../../src/scenarios/matchers.js'
import { findReferences, interpolate } from '../../src/scenarios/variables.js'

t.test('matchers › exact, regex, exists', async (t) => {
  const cases: Array<[unknown, unknown, boolean]> = [
    ['STOP', 'STOP', true],
    ['STOP', 'stop', false],
    [200, 200, true],
    [200, '200', false],
    [null, null, true],
    [false, undefined, false],
    [{ regex: '\\bSTOP\\b' }, 'please STOP now', true],
    [{ regex: 'stop' }, 'STOP', false],
    [{ regex: 'stop', flags: 'i' }, 'STOP', true],
    [{ regex: '^5\\d\\d$' }, 503, true],
    [{ regex: '.*' }, undefined, false],
    [{ regex: '.*' }, { a: 1 }, false],
    [{ exists: true }, '', true],
    [{ exists: true }, null, true],
    [{ exists: true }, undefined, false],
    [{ exists: false }, undefined, true]
  ]
  for (const [matcher, value, expected] of cases) {
    t.equal(testMatcher(compileMatcher(matcher), value), expected, `${JSON.stringify(matcher)} vs ${JSON.stringify(value)}`)
  }
  t.equal(describeMatcher(compileMatcher('a')), "= 'a'")
  t.equal(describeMatcher(compileMatcher({ regex: 'a', flags: 'i' })), '=~ /a/i')
  t.equal(describeMatcher(compileMatcher({ exists: false })), 'is absent')
})

t.test('matchers › bad ones are explained', async (t) => {
  t.equal(matcherProblem('x'), undefined)
  t.match(matcherProblem({ regx: 'a' }), /unknown key 'regx'\. Did you mean 'regex'\?/)
  t.match(matcherProblem({ regex: 'a', flags: 'g' }), /flags must be a string of i, m, s, u/)
  t.match(matcherProblem({}), /an empty object/)
  t.match(matcherProblem([1]), /cannot be a list/)
  t.throws(() => compileMatcher({ regex: '[' }), /invalid regex/)
})

t.test('valueAtPath › dotted paths through objects and arrays', async (t) => {
  const data = { recipient: { rawId: '4:+1' }, items: [{ id: 'a' }, { id: 'b' }] }
  t.equal(valueAtPath(data, 'recipient.rawId'), '4:+1')
  t.equal(valueAtPath(data, 'items.1.id'), 'b')
  t.equal(valueAtPath(data, 'recipient.rawId.length.x'), undefined)
  t.equal(valueAtPath(undefined, 'a'), undefined)
})

t.test('variables › references are found with their paths', async (t) => {
  t.same(findReferences({ a: ['x ${steps.sms.data.messageId} y'], b: '${vars.n}', c: '${ENV}' }), [
    { text: 'steps.sms.data.messageId', segments: ['steps', 'sms', 'data', 'messageId'], at: ['a', 0] },
    { text: 'vars.n', segments: ['vars', 'n'], at: ['b'] }
  ])
  t.same(findReferences('${steps.seq.events[2].id}')[0]?.segments, ['steps', 'seq', 'events', 2, 'id'])
})

t.test('variables › interpolation keeps types for whole references, writes text inside strings', async (t) => {
  const captures = { steps: { sms: { id: 'm1', data: { segmentCount: 2, to: '+1' }, events: [{ id: 'm1' }, { id: 'm2' }] } }, vars: { who: '+1425' } }
  t.same(interpolate({ n: '${steps.sms.data.segmentCount}', s: 'to ${steps.sms.data.to} from ${vars.who}', e: '${steps.sms.events.1.id}', k: 7 }, captures),
    { n: 2, s: 'to +1 from +1425', e: 'm2', k: 7 })
  t.same(interpolate(['${steps.sms.data}'], captures), [{ segmentCount: 2, to: '+1' }])
  t.throws(() => interpolate('${steps.sms.data.mesage}', captures), /\$\{steps\.sms\.data\.mesage\} is not set: 'mesage' is not in steps\.sms\.data \(it has: segmentCount, to\)/)
})
