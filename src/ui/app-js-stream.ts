/** The dashboard script's live stream tab (see app-js.ts): events and outcomes as they happen, filtered. */
export const APP_JS_STREAM = String.raw`// ---------- live stream ----------
let dropped = 0
function connectStream () {
  const source = new EventSource('/admin/stream')
  source.onopen = () => { $('#stream-status').textContent = 'live' + (dropped ? ' (' + dropped + ' messages dropped)' : '') }
  source.onerror = () => { $('#stream-status').textContent = 'stream disconnected; retrying…' }
  source.onmessage = (e) => {
    const m = JSON.parse(e.data)
    if (m.kind === 'dropped') { dropped += m.count; $('#stream-status').textContent = 'live (' + dropped + ' messages dropped: this tab read too slowly)'; return }
    addRow(m)
  }
}

function outcomeOf (m) { return m.kind === 'publish' ? 'Published' : m.outcome }

function matchesFilters (row) {
  const f = (id) => $(id).value.trim()
  const d = row.dataset
  return (!f('#f-topic') || d.topic === f('#f-topic')) &&
    (!f('#f-subscription') || d.subscription === f('#f-subscription')) &&
    (!f('#f-type') || (d.eventType || '').split(',').includes(f('#f-type'))) &&
    (!f('#f-outcome') || d.outcome === f('#f-outcome'))
}

function addRow (m) {
  const outcome = outcomeOf(m)
  const eventId = m.kind === 'publish' ? m.eventId : m.eventIds[0]
  const retry = outcome === 'Failed' && m.nextAttemptTime ? ' Failed-retry' : ''
  const row = h('tr', { 'data-event-id': eventId, 'data-topic': m.topic, 'data-subscription': m.subscription || '', 'data-event-type': m.eventType || '', 'data-outcome': outcome, title: m.reason || '', onclick: () => showEvent(m.topic, eventId, row) },
    h('td', {}, (m.time || '').slice(11, 23)),
    h('td', {}, h('span', { class: 'badge ' + outcome + retry }, outcome)),
    h('td', {}, m.topic),
    h('td', {}, m.eventType || ''),
    h('td', {}, m.subject || ''),
    h('td', {}, m.subscription || ''),
    h('td', {}, m.status !== undefined ? m.status : (m.error || '')),
    h('td', {}, m.durationMs !== undefined ? m.durationMs : ''),
    h('td', {}, m.attempt !== undefined ? m.attempt : (m.eventIds && m.eventIds.length > 1 ? m.eventIds.length + ' events' : '')))
  row.hidden = !matchesFilters(row)
  const body = $('#stream-rows')
  body.prepend(row)
  while (body.children.length > MAX_ROWS) body.lastElementChild.remove()
}

for (const id of ['#f-topic', '#f-subscription', '#f-type', '#f-outcome']) {
  $(id).addEventListener('input', () => { for (const row of $('#stream-rows').children) row.hidden = !matchesFilters(row) })
}
$('#f-clear').addEventListener('click', () => $('#stream-rows').replaceChildren())

async function showEvent (topic, id, row) {
  for (const r of document.querySelectorAll('#stream-rows tr.selected')) r.classList.remove('selected')
  if (row) row.classList.add('selected')
  const pane = $('#event-detail')
  pane.hidden = false
  pane.replaceChildren(h('p', { class: 'muted' }, 'loading…'))
  let d
  try { d = await api('GET', '/admin/events/' + enc(topic) + '/' + enc(id)) } catch (err) { pane.replaceChildren(h('p', { class: 'error' }, err.message)); return }
  if (topics.length === 0) topics = (await api('GET', '/admin/topics')).value
  const t = topics.find((x) => x.name === topic)
  const subs = t ? t.subscriptions.map((s) => s.name) : []
  const subSelect = h('select', { id: 'replay-sub' }, subs.map((s) => h('option', { value: s }, s)))
  const applyFilter = h('input', { type: 'checkbox', id: 'replay-filter' })
  const result = h('pre', { id: 'replay-result', hidden: true })
  const replay = async (body) => {
    try { const r = await api('POST', '/admin/events/' + enc(topic) + '/' + enc(id) + '/replay', body); result.textContent = pretty(r) } catch (err) { result.textContent = err.message }
    result.hidden = false
  }
  // h() flattens the arrays (attempts, decisions) that replaceChildren would print as text.
  pane.replaceChildren(h('div', {},
    h('h3', {}, d.eventType + ' ', h('span', { class: 'muted' }, d.id)),
    h('div', { class: 'muted' }, 'topic ' + d.topic + ', published ' + d.publishTime),
    h('h3', {}, 'Replay'),
    h('div', { class: 'toolbar' }, subSelect, h('label', { class: 'inline' }, applyFilter, ' apply filter'),
      h('button', { id: 'replay-one', onclick: () => replay(Object.assign({ subscription: subSelect.value }, applyFilter.checked ? { applyFilter: true } : {})) }, 'Redeliver')),
    h('div', { class: 'toolbar' }, h('button', { id: 'replay-topic', class: 'secondary', onclick: () => replay({}) }, 'Re-publish to topic')),
    result,
    h('h3', {}, 'Event as published'), h('pre', {}, pretty(d.event)),
    h('h3', {}, 'Attempts (' + d.attempts.length + ')'),
    d.attempts.length === 0 ? h('p', { class: 'muted' }, 'none yet') : null,
    d.attempts.map((a) => h('details', { 'data-attempt': a.attempt, 'data-subscription': a.subscription },
      h('summary', {}, a.subscription + ' #' + a.attempt + ': ', h('span', { class: 'badge ' + (a.response.status >= 200 && a.response.status <= 204 ? 'Delivered' : 'Failed') }, a.response.status !== undefined ? 'HTTP ' + a.response.status : a.response.error), ' ' + a.durationMs + ' ms, ' + a.time.slice(11, 23)),
      h('div', {}, h('strong', {}, 'POST '), h('code', {}, a.request.url)),
      h('pre', {}, Object.entries(a.request.headers).map(([k, v]) => k + ': ' + v).join('\n') + '\n\n' + a.request.body + (a.request.bodyTruncated ? '\n… (truncated)' : '')),
      h('div', {}, 'Response'),
      h('pre', {}, (a.response.errorMessage ? a.response.errorMessage + '\n' : '') + (a.response.body || '(empty body)') + (a.response.bodyTruncated ? '\n… (truncated)' : '')))),
    h('h3', {}, 'Decisions'),
    h('table', {}, h('tbody', {}, d.decisions.map((r) => h('tr', {}, h('td', {}, r.subscription), h('td', {}, h('span', { class: 'badge ' + r.outcome }, r.outcome)), h('td', {}, r.reason || (r.status !== undefined ? 'HTTP ' + r.status : '')))))),
    d.retriesAhead.length ? h('h3', {}, 'Retries ahead') : null,
    d.retriesAhead.map((r) => h('p', {}, r.subscription + ': next attempt ' + r.nextAttemptTime + ', ' + r.attemptsLeft + ' attempts left; then every ' + r.laterGapsMs.map((g) => Math.round(g) + ' ms').join(', '))),
    d.deadLetters.length ? h('h3', {}, 'Dead-letter files') : null,
    d.deadLetters.map((x) => h('p', {}, h('code', {}, x.file), ' (' + x.reason + ')'))))
}

`
