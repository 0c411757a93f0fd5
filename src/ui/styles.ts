/** The dashboard's stylesheet (served at /ui/app.css). */
export const APP_CSS = `
:root { --fg: #1d2430; --muted: #6b7280; --line: #e5e7eb; --bg: #f8fafc; --ok: #15803d; --warn: #b45309; --bad: #b91c1c; --info: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 24px; align-items: center; padding: 10px 20px; background: #0f172a; color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header nav a { color: #cbd5e1; text-decoration: none; margin-right: 14px; }
header nav a.active { color: #fff; border-bottom: 2px solid #38bdf8; }
#stream-status { margin-left: auto; font-size: 12px; color: #cbd5e1; }
main { padding: 16px 20px; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
button { font: inherit; padding: 4px 10px; border: 1px solid #0369a1; background: #0284c7; color: #fff; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: #0369a1; }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
input, select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 4px; background: #fff; }
textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
label { display: block; margin: 8px 0; }
label.inline { display: inline; margin: 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin-bottom: 14px; }
.card h2 { font-size: 15px; margin: 0 0 4px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
tbody#stream-rows tr { cursor: pointer; }
tbody#stream-rows tr:hover, tbody#stream-rows tr.selected { background: #e0f2fe; }
.badge { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: 12px; border: 1px solid currentColor; }
.Succeeded, .Delivered { color: var(--ok); }
.Creating, .AwaitingManualAction, .Waiting, .Failed-retry { color: var(--warn); }
.Failed, .DeadLettered, .Dropped { color: var(--bad); }
.NotMatched { color: var(--muted); }
.Published { color: var(--info); }
.muted { color: var(--muted); }
.error { color: var(--bad); white-space: pre-wrap; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f1f5f9; padding: 8px; border-radius: 4px; overflow: auto; max-height: 360px; }
.split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 14px; align-items: start; }
.split table { font-size: 12px; }
aside { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; position: sticky; top: 8px; max-height: calc(100vh - 80px); overflow: auto; }
aside h3 { font-size: 13px; margin: 12px 0 4px; }
details { margin: 4px 0; }
dialog { width: min(720px, 95vw); border: 1px solid var(--line); border-radius: 8px; }
.counts span { margin-right: 8px; font-size: 12px; }
`
