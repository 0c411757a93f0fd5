/**
 * Bundles the CLI (src/cli/main.ts) and its dependencies into dist/bundle/, which bin/eventgrid-emulator.js
 * runs. `npm run build` runs it after tsc (which still builds the library entry, dist/index.js, and its types):
 *
 *   node --import tsx scripts/bundle-cli.ts
 *
 * Why: cold start. Unbundled, `serve` loads several hundred files from dist/ and node_modules, and resolving,
 * reading and compiling them one by one was most of its start-up (about 600 ms on a small machine against 120 ms
 * for a bare Node http server). The bundle is a few files; esbuild compiles the TypeScript itself (types are
 * checked by tsc), so a test can build it into a temporary directory in a second or two.
 *
 * - Code splitting keeps the per-verb lazy loading of main.ts: each `import('./commands/x.js')` becomes a chunk of
 *   its own, so `serve` still loads neither the scenario runner nor the admin clients.
 * - CommonJS dependencies (Fastify, pino …) call `require` for Node's built-ins: the banner gives every output
 *   file a real `require`.
 * - pino runs pretty logs (`serve` at a terminal) in a worker thread started from files it finds by path, which
 *   a bundle does not have; pino and thread-stream look those paths up in `globalThis.__bundlerPathsOverrides`
 *   first (their hook for bundlers), so thread-stream's worker and pino-pretty are bundled as entries of their
 *   own and the entry sets that global.
 * - Not minified: minifying saved little start-up time (docs/performance.md) and made stack traces unreadable.
 *   A linked source map per file (to src/*.ts through tsc's maps) is written for debugging with
 *   --enable-source-maps; package.json's `files` leaves the maps out of the package (several MB, and they
 *   point at src/, which is not shipped either).
 * - The bundle carries every dependency, so the CLI runs without node_modules (the Docker image has none).
 *   The delivery transport's undici files are imported on the first request (src/adapters/undici-transport.ts),
 *   so they are a chunk of their own that `serve` does not read at start.
 * - Fastify's server module gets node:https and node:http2, and its plugin checks semver, on first use instead of
 *   at load (DEFERRED_REQUIRES below): a plain HTTP `serve` never needs them.
 */
import { createRequire } from 'node:module'
import { readFile, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build, type BuildOptions, type Plugin } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE_DIR = 'dist/bundle'

const require = createRequire(import.meta.url)
const pinoRequire = createRequire(require.resolve('pino'))

/**
 * The entry module: main.ts's runCli, after telling pino where its worker files are in the bundle. main.ts's
 * code stays in this file (it is the only entry that imports it), so its `new URL('../../package.json',
 * import.meta.url)` finds package.json from dist/bundle/cli.js as it does from src/cli/main.ts.
 */
const ENTRY = `
import { fileURLToPath } from 'node:url'
const inBundle = (file) => fileURLToPath(new URL(file, import.meta.url))
globalThis.__bundlerPathsOverrides = {
  ...globalThis.__bundlerPathsOverrides,
  'thread-stream-worker': inBundle('./thread-stream-worker.js'),
  'pino-worker': inBundle('./pino-worker.js'),
  'pino-pretty': inBundle('./pino-pretty.js')
}
export { runCli } from './main.js'
`

const ENTRY_ID = 'eventgrid-emulator:cli-entry'
const entryPlugin: Plugin = {
  name: 'cli-entry',
  setup (b) {
    b.onResolve({ filter: /^eventgrid-emulator:cli-entry$/ }, (args) => ({ path: args.path, namespace: 'cli-entry' }))
    b.onLoad({ filter: /.*/, namespace: 'cli-entry' }, () => ({ contents: ENTRY, resolveDir: `${ROOT}/src/cli`, loader: 'js' }))
  }
}

/**
 * Modules Fastify requires when it loads but the emulator's start never uses, each turned in the bundle into a
 * stand-in that requires the module on the first use of any of its properties:
 *
 * - lib/server.js: node:https and node:http2, for the one function that creates the server, which uses them only
 *   for an HTTPS or an HTTP/2 server (loading both is about 7 ms in a fresh process; `serve` over plain HTTP, the
 *   usual case, never touches them);
 * - lib/plugin-utils.js: semver (about 70 KB bundled), only to check the Fastify version a plugin declares in its
 *   metadata (`fastify-plugin`'s `fastify: '5.x'`); none of the emulator's plugins declares one.
 *
 * If a Fastify update changes one of these lines the build fails, so a deferral is never lost without anyone noticing.
 */
export const DEFERRED_REQUIRES: ReadonlyArray<{ file: RegExp, name: string, lines: readonly string[] }> = [
  { file: /[\\/]fastify[\\/]lib[\\/]server\.js$/, name: 'fastify/lib/server.js', lines: ["const https = require('node:https')", "const http2 = require('node:http2')"] },
  { file: /[\\/]fastify[\\/]lib[\\/]plugin-utils\.js$/, name: 'fastify/lib/plugin-utils.js', lines: ["const semver = require('semver')"] }
]
const LAZY_MODULE = 'const lazyModule = (load) => { let m; return new Proxy({}, { get: (_target, key) => (m ??= load())[key] }) }'

/** `const x = require('y')` → `const x = lazyModule(() => require('y'))`, after one definition of lazyModule. */
export function deferRequires (source: string, lines: readonly string[], name: string): string {
  let out = source
  for (const [i, line] of lines.entries()) {
    const at = out.indexOf(`${line}\n`)
    if (at === -1) throw new Error(`${name} no longer has the line \`${line}\` that scripts/bundle-cli.ts defers (DEFERRED_REQUIRES): update it for this Fastify version`)
    const lazy = line.replace(/= (require\([^)]*\))$/, '= lazyModule(() => $1)')
    out = `${out.slice(0, at)}${i === 0 ? `${LAZY_MODULE}\n` : ''}${lazy}\n${out.slice(at + line.length + 1)}`
  }
  return out
}

export const deferredRequiresPlugin: Plugin = {
  name: 'deferred-requires',
  setup (b) {
    for (const { file, name, lines } of DEFERRED_REQUIRES) {
      b.onLoad({ filter: file }, async (args) => ({ contents: deferRequires(await readFile(args.path, 'utf8'), lines, name), loader: 'js' }))
    }
  }
}

/** Code the CLI never runs, left out of the bundle (see bundleOptions). */
export const BUNDLE_EXTERNAL = ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request']

/** esbuild's options; `outdir` is dist/bundle unless given (a test builds into a temporary directory). */
export function bundleOptions (outdir = `${ROOT}/${BUNDLE_DIR}`): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: {
      cli: ENTRY_ID,
      'thread-stream-worker': pinoRequire.resolve('thread-stream/lib/worker.js'),
      'pino-worker': require.resolve('pino/lib/worker.js'),
      'pino-pretty': require.resolve('pino-pretty')
    },
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.18',
    // Code the CLI never runs, left out so it is not read and compiled at every start (about 700 KB): Fastify
    // loads its schema compilers (ajv, fast-json-stringify) only when no compilers are given, and
    // src/server/schema-compilers.ts gives lazy ones; light-my-request is loaded by `inject()` only (tests).
    external: BUNDLE_EXTERNAL,
    // Modules of Fastify's that the start never uses, loaded on first use (DEFERRED_REQUIRES above).
    plugins: [entryPlugin, deferredRequiresPlugin],
    banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);" },
    tsconfig: `${ROOT}/tsconfig.build.json`,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning'
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await rm(`${ROOT}/${BUNDLE_DIR}`, { recursive: true, force: true })
  await build(bundleOptions())
}
