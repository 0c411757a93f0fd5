/**
 * The dashboard's script (served at /ui/app.js), as a TypeScript string so it ships in dist/ without a copy step.
 * Plain browser JavaScript against the admin API: no framework, no bundler, no CDN. Written without backticks
 * or template placeholders (it lives inside String.raw).
 */
import { APP_JS_PANELS } from './app-js-panels.js'
import { APP_JS_STREAM } from './app-js-stream.js'

const APP_JS_CORE = String.raw`// eventgrid-emulator dashboard: plain JavaScript against the admin API; no framework, no build step, no network
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
// Loads overlap (the tab opens, the stream reports a change): only the latest one may fill the list, and it does so
// in one step at the end, so two loads never interleave their cards.
let subscriptionsLoad = 0
async function loadSubscriptions () {
  const load = ++subscriptionsLoad
  const [list, stats] = await Promise.all([api('GET', '/admin/topics'), api('GET', '/admin/stats')])
  const byKey = new Map(stats.subscriptions.map((s) => [s.topic + '/' + s.name, s]))
  const cards = []
  for (const t of list.value) {
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
    cards.push(h('div', { class: 'card', 'data-topic-card': t.name },
      h('h2', {}, t.name, ' ', h('span', { class: 'muted' }, t.topicType ? 'ACS system topic' : t.inputSchema)),
      h('div', { class: 'muted' }, h('code', {}, t.endpoint), t.authRequired ? ' (key required)' : ''),
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No subscriptions.')
        : h('table', {}, h('thead', {}, h('tr', {}, ['subscription', 'state', 'endpoint', 'filter', 'decisions', ''].map((c) => h('th', {}, c)))), h('tbody', {}, rows))))
  }
  if (load !== subscriptionsLoad) return
  topics = list.value
  $('#topics').replaceChildren(...cards)
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

`

/** The whole script, in its order: helpers, tabs and topics, then the live stream, then the panels. */
export const APP_JS = APP_JS_CORE + APP_JS_STREAM + APP_JS_PANELS
