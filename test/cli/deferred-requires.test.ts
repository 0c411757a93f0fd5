/**
 * The bundle's deferred requires (scripts/bundle-cli.ts, DEFERRED_REQUIRES): modules Fastify requires at load but a
 * plain HTTP start never uses become stand-ins that require the module on first use. The rewrite is checked on a
 * sample, by running it, and against the Fastify installed here (an update that changes a line fails here, not
 * only in the build).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { compileFunction } from 'node:vm'
import t from 'tap'
import { DEFERRED_REQUIRES, deferRequires } from '../../scripts/bundle-cli.js'

const SAMPLE = "'use strict'\n\nconst http = require('node:http')\nconst https = require('node:https')\nconst http2 = require('node:http2')\nmodule.exports = { make: (secure) => (secure ? https : http2).createServer }\n"

t.test('each deferred require becomes a stand-in that requires the module on first use of a property', async (t) => {
  const out = deferRequires(SAMPLE, ["const https = require('node:https')", "const http2 = require('node:http2')"], 'sample.js')
  t.equal(out.match(/const lazyModule = /g)?.length, 1, 'one helper per file')
  t.match(out, "const http = require('node:http')\n", 'other requires untouched')
  t.match(out, "const https = lazyModule(() => require('node:https'))\n")
  t.match(out, "const http2 = lazyModule(() => require('node:http2'))\n")
  const loaded: string[] = []
  const fakeRequire = (name: string): unknown => { loaded.push(name); return { createServer: `${name}.createServer` } }
  const module = { exports: {} as { make: (secure: boolean) => unknown } }
  // Runs the rewritten CommonJS source with a require that records what it is asked for.
  compileFunction(out, ['require', 'module'])(fakeRequire, module)
  t.same(loaded, ['node:http'], 'loading the file requires only what is not deferred')
  t.equal(module.exports.make(true), 'node:https.createServer')
  t.same(loaded, ['node:http', 'node:https'], 'https is required when first used, http2 still not')
  t.equal(module.exports.make(true), 'node:https.createServer')
  t.same(loaded, ['node:http', 'node:https'], 'and only once')
})

t.test('a line that is not there fails the build, naming the file and the line', async (t) => {
  t.throws(() => deferRequires(SAMPLE, ["const semver = require('semver')"], 'fastify/lib/plugin-utils.js'), {
    message: "fastify/lib/plugin-utils.js no longer has the line `const semver = require('semver')` that scripts/bundle-cli.ts defers (DEFERRED_REQUIRES): update it for this Fastify version"
  })
})

t.test('every deferred line is in the Fastify installed here', async (t) => {
  const fastifyDir = createRequire(import.meta.url).resolve('fastify').replace(/fastify\.js$/, '')
  for (const { name, lines, file } of DEFERRED_REQUIRES) {
    const path = `${fastifyDir}${name.replace(/^fastify\//, '')}`
    t.match(path, file, `${name}: the plugin's filter matches the file`)
    const source = readFileSync(path, 'utf8')
    t.doesNotThrow(() => deferRequires(source, lines, name), name)
  }
})
