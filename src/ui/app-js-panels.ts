/** The dashboard script's ACS trigger, sinks and dead-letter panels (see app-js.ts). */
export const APP_JS_PANELS = String.raw`// ---------- trigger ACS events ----------
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
