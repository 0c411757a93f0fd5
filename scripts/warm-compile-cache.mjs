#!/usr/bin/env node
/**
 * Fills Node's compile cache for `serve` once, when the Docker image is built, so that containers start from V8's
 * cached code instead of compiling the bundle (docs/performance.md has the figures):
 *
 *   NODE_COMPILE_CACHE=/app/.node-compile-cache node scripts/warm-compile-cache.mjs [path/to/bin/eventgrid-emulator.js]
 *
 * It starts `serve` on a free port with the built-in config and no data dir, waits for /healthz, and stops it with
 * SIGTERM: Node writes the cache when a process exits normally, with the code compiled up to then. Node keeps one
 * cache per user id, so run it as the user the container runs as. The launcher is the argument, or the repository's
 * bin/. Plain JavaScript because the image has no TypeScript. On a Node without a compile cache (20) it does nothing.
 */
import module from 'node:module'
import { spawn } from 'node:child_process'
import { get } from 'node:http'
import { fileURLToPath } from 'node:url'

if (typeof module.enableCompileCache !== 'function') {
  console.log(`warm-compile-cache: Node ${process.version} has no compile cache; nothing to do`)
  process.exit(0)
}
if (!process.env.NODE_COMPILE_CACHE) {
  console.error('warm-compile-cache: set NODE_COMPILE_CACHE to the directory to fill')
  process.exit(2)
}

const bin = process.argv[2] ?? fileURLToPath(new URL('../bin/eventgrid-emulator.js', import.meta.url))
// Only what the cache needs: not the image's EVENTGRID_EMULATOR_* settings (no data dir, no journal in the image).
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE, LOG_LEVEL: 'warn' }
const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
const timer = setTimeout(() => { console.error('warm-compile-cache: serve did not answer /healthz within 30 s'); child.kill('SIGKILL') }, 30_000)

let out = ''
let asked = false
child.stdout.setEncoding('utf8')
child.stdout.on('data', (text) => {
  out += text
  const m = /listening on (http:\/\/\S+)/.exec(out)
  if (asked || m === null) return
  asked = true
  get(`${m[1]}/healthz`, (res) => {
    res.resume()
    res.once('end', () => child.kill('SIGTERM'))
  }).on('error', (err) => { console.error(`warm-compile-cache: GET /healthz: ${err.message}`); child.kill('SIGKILL') })
})

const { code, signal } = await exited
clearTimeout(timer)
if (code !== 0) {
  console.error(`warm-compile-cache: serve exited with ${signal ?? code}\n${out}`)
  process.exit(1)
}
console.log(`warm-compile-cache: cache written to ${process.env.NODE_COMPILE_CACHE}`)
