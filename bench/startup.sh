#!/usr/bin/env bash
# Cold start of the CLI: from `node bin/eventgrid-emulator.js serve` to the first 200 from /healthz.
# Run: bash bench/startup.sh [runs=5]   (needs `npm run build` first). PORT=N picks the port; by default a free
# one is found first, so the bench never collides with a running emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
port=${PORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  node bin/eventgrid-emulator.js serve --port "$port" >/dev/null 2>&1 &
  pid=$!
  until node -e "require('http').get('http://127.0.0.1:$port/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))" 2>/dev/null; do sleep 0.01; done
  end=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" || true
  echo "run $i: $(( (end - start) / 1000000 )) ms to first healthy /healthz"
done
