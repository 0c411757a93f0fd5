/**
 * The dashboard's script (served at /ui/app.js), as a TypeScript string so it ships in dist/ without a copy step.
 * Plain browser JavaScript against the admin API: no framework, no bundler, no CDN. Written without backticks
 * or template placeholders (it lives inside String.raw).
 */
export const APP_JS = String.raw`// eventgrid-emulator dashboard: plain JavaScript against the admin API; no framework, no build step, no network
// beyond this emulator. Every value from events is inserted as text, never as HTML.
const $ = (sel) => document.querySelector(sel)
const MAX_ROWS = 500

function h (tag, attrs, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className = v
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c))
  return el
}

async function api (method, path, body) {
  const res = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let json
  try { json = text === '' ? undefined : JSON.parse(text) } catch { json = text }
  if (!res.ok) {
    const message = json && json.error ? json.error.message : ('HTTP ' + res.status + ' ' + text)
    throw new Error(message)
  }
  return json
}

const enc = encodeURIComponent
const pretty = (v) => JSON.stringify(v, null, 2)

// ---------- tabs ----------
function showTab () {
  const name = (location.hash || '#subscriptions').slice(1)
  for (const s of document.querySelectorAll('section.tab')) s.hidden = s.id !== 'tab-' + name
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.tab === name)
  if (name === 'subscriptions') loadSubscriptions()
  if (name === 'trigger') loadTrigger()
  if (name === 'sinks') loadSinks()
  if (name === 'dead-letters') loadDeadLetters()
}
window.addEventListener('hashchange', showTab)

// ---------- topics and subscriptions ----------
let topics = []
async function loadSubscriptions () {
  const [list, stats] = await Promise.all([api('GET', '/admin/topics'), api('GET', '/admin/stats')])
  topics = list.value
  const byKey = new Map(stats.subscriptions.map((s) => [s.topic + '/' + s.name, s]))
  const root = $('#topics')
  root.replaceChildren()
  for (const t of topics) {
    const subs = (await api('GET', '/admin/topics/' + enc(t.name) + '/subscriptions')).value
    const rows = subs.map((s) => {
      const st = byKey.get(t.name + '/' + s.name) || { counts: {} }
      const p = s.properties
      const counts = Object.entries(st.counts).map(([k, n]) => h('span', { class: k }, k + ' ' + n))
      return h('tr', { 'data-sub': s.name, 'data-topic': t.name },
        h('td', {}, h('strong', {}, s.name)),
        h('td', {}, h('span', { class: 'badge ' + p.provisioningState, 'data-state': p.provisioningState }, p.provisioningState),
          p.provisioningStateReason ? h('div', { class: 'muted' }, p.provisioningStateReason) : null),
        h('td', {}, h('code', {}, p.destination.properties.endpointBaseUrl || p.destination.properties.endpointUrl || p.destination.endpointType)),
        h('td', {}, p.filter ? h('details', {}, h('summary', {}, describeFilter(p.filter)), h('pre', {}, pretty(p.filter))) : h('span', { class: 'muted' }, 'all events'),
          st.lastNotMatched ? h('div', { class: 'muted', 'data-last-declined': '' }, 'last declined ' + st.lastNotMatched.eventIds[0] + ': ' + st.lastNotMatched.reason) : null),
        h('td', { class: 'counts' }, counts.length ? counts : h('span', { class: 'muted' }, '–'), st.pendingEvents ? h('div', { class: 'muted' }, st.pendingEvents + ' waiting') : null),
        h('td', {},
          h('button', { class: 'secondary', 'data-action': 'validate', onclick: () => revalidate(t.name, s.name) }, 'Re-validate'), ' ',
          h('button', { class: 'secondary', 'data-action': 'edit', onclick: () => editSubscription(t.name, s) }, 'Edit'), ' ',
          h('button', { class: 'danger', 'data-action': 'delete', onclick: () => deleteSubscription(t.name, s.name) }, 'Delete')))
    })
    root.append(h('div', { class: 'card', 'data-topic-card': t.name },
      h('h2', {}, t.name, ' ', h('span', { class: 'muted' }, t.topicType ? 'ACS system topic' : t.inputSchema)),
      h('div', { class: 'muted' }, h('code', {}, t.endpoint), t.authRequired ? ' (key required)' : ''),
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No subscriptions.')
        : h('table', {}, h('thead', {}, h('tr', {}, ['subscription', 'state', 'endpoint', 'filter', 'decisions', ''].map((c) => h('th', {}, c)))), h('tbody', {}, rows))))
  }
}

function describeFilter (f) {
  const parts = []
  if (f.includedEventTypes) parts.push('types: ' + f.includedEventTypes.join(', '))
  if (f.subjectBeginsWith) parts.push('subject begins with ' + f.subjectBeginsWith)
  if (f.subjectEndsWith) parts.push('subject ends with ' + f.subjectEndsWith)
  if (f.advancedFilters) parts.push(f.advancedFilters.length + ' advanced filter(s)')
  return parts.join('; ') || 'filter'
}

async function revalidate (topic, name) {
  try { await api('POST', '/admin/topics/' + enc(topic) + '/subscriptions/' + enc(name) + '/validate') } catch (err) { alert(err.message) }
  await loadSubscriptions()
}

async function deleteSubscription (topic, name) {
  if (!confirm('Delete subscription ' + name + ' of topic ' + topic + '?')) return
  await api('DELETE', '/admin/topics/' + enc(topic) + '/subscriptions/' + enc(name))
  await loadSubscriptions()
}

const SUB_TEMPLATE = { destination: { endpointType: 'WebHook', properties: { endpointUrl: '/sink/my-sink' } }, filter: { includedEventTypes: [] } }

function openSubForm (topic, name, body, editing) {
  $('#sub-topic').replaceChildren(...topics.map((t) => h('option', { value: t.name, selected: t.name === topic }, t.name)))
  $('#sub-topic').disabled = editing
  $('#sub-name').value = name
  $('#sub-name').readOnly = editing
  $('#sub-body').value = pretty(body)
  $('#sub-errors').hidden = true
  $('#sub-form-title').textContent = editing ? 'Edit subscription ' + name : 'New subscription'
  $('#sub-dialog').showModal()
}

async function editSubscription (topic, s) {
  // GET hides the endpoint's query string and secret attribute values; the full URL comes from getFullUrl.
  const body = Object.assign({}, s.properties)
  delete body.provisioningState
  delete body.provisioningStateReason
  const full = await api('POST', '/admin/topics/' + enc(topic) + '/subscriptions/' + enc(s.name) + '/getFullUrl')
  const props = Object.assign({}, body.destination.properties)
  delete props.endpointBaseUrl
  if (full.endpointUrl) props.endpointUrl = full.endpointUrl
  const attrs = await api('POST', '/admin/topics/' + enc(topic) + '/subscriptions/' + enc(s.name) + '/getDeliveryAttributes')
  if (attrs.value.length > 0) props.deliveryAttributeMappings = attrs.value
  body.destination = Object.assign({}, body.destination, { properties: props })
  openSubForm(topic, s.name, body, true)
}

$('#new-sub').addEventListener('click', () => openSubForm(topics[0] && topics[0].name, '', SUB_TEMPLATE, false))
$('#refresh-subs').addEventListener('click', () => loadSubscriptions())
$('#sub-cancel').addEventListener('click', () => $('#sub-dialog').close())
$('#sub-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const errors = $('#sub-errors')
  let body
  try { body = JSON.parse($('#sub-body').value) } catch (err) { errors.textContent = 'The body is not valid JSON: ' + err.message; errors.hidden = false; return }
  try {
    await api('PUT', '/admin/topics/' + enc($('#sub-topic').value) + '/subscriptions/' + enc($('#sub-name').value), body)
    $('#sub-dialog').close()
    await loadSubscriptions()
  } catch (err) {
    // The API's own message, word for word: the form shows the same validation errors as PUT does.
    errors.textContent = err.message
    errors.hidden = false
  }
})

// ---------- live stream ----------
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

// ---------- trigger ACS events ----------
let catalog
async function loadTrigger () {
  if (topics.length === 0) topics = (await api('GET', '/admin/topics')).value
  const acs = topics.filter((t) => t.topicType)
  $('#trigger-topic').replaceChildren(...acs.map((t) => h('option', { value: t.name }, t.name)))
  if (acs.length === 0) $('#trigger-result').textContent = 'This emulator has no ACS system topic (a topic with topicType: Microsoft.Communication.CommunicationServices).'
  if (catalog) return
  catalog = await api('GET', '/admin/catalog')
  $('#trigger-type').replaceChildren(
    h('optgroup', { label: 'Event types' }, catalog.eventTypes.map((t) => h('option', { value: t.eventType }, (t.aliases[0] || '') + '  (' + t.eventType + ')' + (t.retired ? ' retired' : '')))),
    h('optgroup', { label: 'Sequences' }, catalog.sequences.map((s) => h('option', { value: 'sequence:' + s.name }, s.name + ': ' + s.description))))
  await loadSample()
}

async function loadSample () {
  const type = $('#trigger-type').value
  if (type.startsWith('sequence:')) { $('#trigger-data').value = '{}'; $('#trigger-data').disabled = true; return }
  $('#trigger-data').disabled = false
  const sample = await api('GET', '/admin/catalog/' + enc(type) + '/sample')
  $('#trigger-data').value = pretty(sample.data)
}
$('#trigger-type').addEventListener('change', loadSample)

$('#trigger-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const out = $('#trigger-result')
  const type = $('#trigger-type').value
  const item = type.startsWith('sequence:') ? { sequence: type.slice(9) } : { eventType: type }
  if (!type.startsWith('sequence:')) {
    try { item.data = JSON.parse($('#trigger-data').value) } catch (err) { out.textContent = 'data is not valid JSON: ' + err.message; out.className = 'error'; return }
  }
  if ($('#trigger-subject').value.trim()) item.subject = $('#trigger-subject').value.trim()
  const count = Math.max(1, Math.min(100, Number($('#trigger-count').value) || 1))
  try {
    // The same path as emit and any client: POST /topics/{topic}/simulate.
    const r = await api('POST', '/topics/' + enc($('#trigger-topic').value) + '/simulate', Array.from({ length: count }, () => item))
    out.className = ''
    out.textContent = 'Sent ' + r.events.length + ' event(s): ' + r.events.map((e) => e.eventType + ' ' + e.id).join(', ') + '\nSee them in the live stream.\n\n' + pretty(r.events)
  } catch (err) {
    out.className = 'error'
    out.textContent = err.message
  }
})

// ---------- sinks and dead letters ----------
async function loadSinks () {
  const stats = await api('GET', '/admin/stats')
  const root = $('#sinks')
  if (stats.sinks.length === 0) { root.replaceChildren(h('p', { class: 'muted' }, 'No sink has received anything yet. Point a subscription at /sink/NAME.')); return }
  root.replaceChildren(h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'sink'), h('th', {}, 'requests'), h('th', {}, ''))),
    h('tbody', {}, stats.sinks.map((s) => h('tr', { 'data-sink': s.name }, h('td', {}, h('code', {}, '/sink/' + s.name)), h('td', {}, s.requests),
      h('td', {}, h('button', { class: 'secondary', onclick: async () => { $('#sink-content').textContent = pretty(await api('GET', '/sink/' + enc(s.name))) } }, 'Show')))))))
}

async function loadDeadLetters () {
  const dl = await api('GET', '/admin/dead-letters')
  const root = $('#dead-letters')
  root.replaceChildren(h('p', { class: 'muted' }, 'Directory: ', h('code', {}, dl.directory)))
  if (dl.value.length === 0) { root.append(h('p', { class: 'muted' }, 'No dead letters.')); return }
  root.append(h('table', {}, h('thead', {}, h('tr', {}, ['time', 'topic', 'subscription', 'reason', 'events', 'file'].map((c) => h('th', {}, c)))),
    h('tbody', {}, dl.value.map((d) => h('tr', {}, h('td', {}, d.time), h('td', {}, d.topic), h('td', {}, d.subscription), h('td', {}, d.reason),
      h('td', {}, h('details', {}, h('summary', {}, d.eventIds.join(', ')), h('pre', {}, pretty(d.events)))), h('td', {}, h('code', {}, d.path)))))))
}

connectStream()
showTab()
setInterval(() => { if (!document.hidden && (location.hash || '#subscriptions') === '#subscriptions' && !$('#sub-dialog').open) loadSubscriptions() }, 3000)
`
