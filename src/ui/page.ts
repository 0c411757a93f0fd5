/**
 * The dashboard's HTML shell. Kept as a TypeScript string so `tsc` ships it inside dist/ with no copy step;
 * the page works offline: its only assets are /ui/app.js and /ui/app.css from this package.
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eventgrid-emulator</title>
<link rel="stylesheet" href="/ui/app.css">
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<header>
  <h1>eventgrid-emulator</h1>
  <nav>
    <a href="#subscriptions" data-tab="subscriptions">Subscriptions</a>
    <a href="#stream" data-tab="stream">Live stream</a>
    <a href="#trigger" data-tab="trigger">Trigger ACS events</a>
    <a href="#sinks" data-tab="sinks">Sinks</a>
    <a href="#dead-letters" data-tab="dead-letters">Dead letters</a>
  </nav>
  <span id="stream-status" class="muted">connecting…</span>
</header>
<main>
<section id="tab-subscriptions" class="tab">
  <div class="toolbar"><button id="new-sub">New subscription</button><button id="refresh-subs" class="secondary">Refresh</button></div>
  <div id="topics"></div>
  <dialog id="sub-dialog">
    <form id="sub-form" method="dialog">
      <h2 id="sub-form-title">Subscription</h2>
      <label>Topic <select name="topic" id="sub-topic"></select></label>
      <label>Name <input name="name" id="sub-name" required placeholder="my-webhook"></label>
      <label>Body (the ARM eventSubscription <code>properties</code>, JSON)
        <textarea name="body" id="sub-body" rows="16" spellcheck="false"></textarea></label>
      <pre id="sub-errors" class="error" hidden></pre>
      <div class="toolbar"><button type="submit" id="sub-save">Save</button><button type="button" id="sub-cancel" class="secondary">Cancel</button></div>
    </form>
  </dialog>
</section>
<section id="tab-stream" class="tab" hidden>
  <div class="toolbar filters">
    <input id="f-topic" placeholder="topic">
    <input id="f-subscription" placeholder="subscription">
    <input id="f-type" placeholder="event type">
    <select id="f-outcome"><option value="">any outcome</option><option>Published</option><option>Delivered</option><option>Failed</option><option>DeadLettered</option><option>Dropped</option><option>NotMatched</option><option>Waiting</option></select>
    <button id="f-clear" class="secondary">Clear list</button>
  </div>
  <div class="split">
    <table class="list"><thead><tr><th>time</th><th>outcome</th><th>topic</th><th>event type</th><th>subject</th><th>subscription</th><th>status</th><th>ms</th><th>attempt</th></tr></thead>
      <tbody id="stream-rows"></tbody></table>
    <aside id="event-detail" hidden></aside>
  </div>
</section>
<section id="tab-trigger" class="tab" hidden>
  <form id="trigger-form">
    <label>ACS topic <select id="trigger-topic"></select></label>
    <label>Event type or sequence <select id="trigger-type"></select></label>
    <label>Subject (optional) <input id="trigger-subject"></label>
    <label>data overrides (JSON; starts from a sample, deep-merged into a fresh event)
      <textarea id="trigger-data" rows="14" spellcheck="false"></textarea></label>
    <div class="toolbar"><button type="submit" id="trigger-send">Send</button><label class="inline"><input type="number" id="trigger-count" value="1" min="1" max="100"> events</label></div>
    <pre id="trigger-result"></pre>
  </form>
</section>
<section id="tab-sinks" class="tab" hidden><div id="sinks"></div><pre id="sink-content"></pre></section>
<section id="tab-dead-letters" class="tab" hidden><div id="dead-letters"></div></section>
</main>
</body>
</html>
`
