/** The timer queue: one armed timer for any number of pending items, due order, removal, stop. */
import t from 'tap'
import { TimerQueue } from '../../src/delivery/timer-queue.js'
import { ManualClock } from '../helpers/manual-clock.js'

t.test('items fire in due order, each once, and only when their time comes', async (t) => {
  const clock = new ManualClock(0)
  const fired: string[] = []
  const q = new TimerQueue<string>(clock, (item) => { fired.push(`${item}@${clock.now()}`) })
  q.push('c', 300)
  q.push('a', 100)
  q.push('b', 200)
  q.push('a2', 100)
  t.equal(q.size, 4)
  clock.advance(99)
  t.same(fired, [])
  clock.advance(1)
  t.same(fired.sort(), ['a2@100', 'a@100'])
  clock.advance(500)
  t.same(fired.slice(2), ['b@200', 'c@300'])
  t.equal(q.size, 0)
})

t.test('a thousand pending items keep a single armed timer', async (t) => {
  const clock = new ManualClock(0)
  const q = new TimerQueue<number>(clock, () => {})
  for (let i = 0; i < 1000; i++) q.push(i, 1000 + i)
  t.equal((clock as unknown as { timers: Map<unknown, unknown> }).timers.size, 1, 'one timer, armed for the earliest item')
  t.equal(clock.nextDelay(), 1000)
  q.push(-1, 10)
  t.equal((clock as unknown as { timers: Map<unknown, unknown> }).timers.size, 1, 'an earlier item re-arms instead of adding a timer')
  t.equal(clock.nextDelay(), 10)
})

t.test('remove() returns and forgets matching items; stop() fires nothing more', async (t) => {
  const clock = new ManualClock(0)
  const fired: number[] = []
  const q = new TimerQueue<number>(clock, (n) => { fired.push(n) })
  for (const n of [1, 2, 3, 4]) q.push(n, n * 10)
  t.same(q.remove((n) => n % 2 === 0).sort(), [2, 4])
  t.equal(q.size, 2)
  clock.advance(15)
  t.same(fired, [1])
  q.stop()
  clock.advance(100)
  t.same(fired, [1], 'nothing fires after stop')
})

t.test('many items with repeated and fractional due times fire in due order, ties in push order, also after remove()', async (t) => {
  const clock = new ManualClock(0)
  const fired: number[] = []
  const q = new TimerQueue<number>(clock, (n) => { fired.push(n) })
  // A fixed pseudo-random sequence: due times with many ties, some fractional.
  let x = 12345
  const next = (): number => { x = (x * 1103515245 + 12345) % 2147483648; return x }
  const items: Array<{ n: number, due: number }> = []
  for (let n = 0; n < 2000; n++) {
    const due = (next() % 50) * 10 + (n % 7 === 0 ? 0.5 : 0)
    items.push({ n, due })
    q.push(n, due)
  }
  const removed = q.remove((n) => n % 5 === 0)
  t.equal(removed.length, 400)
  t.equal(q.size, 1600)
  clock.advance(1000)
  const expected = items.filter((i) => i.n % 5 !== 0).sort((a, b) => a.due - b.due || a.n - b.n).map((i) => i.n)
  t.same(fired, expected)
})
