/**
 * The dependency rules of ARCHITECTURE.md, checked mechanically by parsing every import form (static `import`,
 * `export … from`, dynamic `import()`, side-effect `import 'x'`):
 *  - src/domain is pure: it imports only other domain files and `node:crypto` (no packages, fs, http, timers, process);
 *  - the delivery engine (src/delivery) knows no HTTP server, CLI, core or composition root, and no I/O modules;
 *  - only the composition root (src/compose.ts) picks adapters;
 *  - the HTTP layer (src/server) never picks adapters nor imports the composition root or the CLI.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import t from 'tap'

const root = resolve(import.meta.dirname, '..')

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** Every module specifier a source text imports, in any of the four forms; comments are ignored. */
export function importsOf (text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const found: string[] = []
  const forms = [
    /^\s*import\s+(?:type\s+)?[\w*\s{},$]*?\s*from\s*['"]([^'"]+)['"]/gm, // import x from 'y', import { a } from 'y'
    /^\s*export\s+(?:type\s+)?[\w*\s{},$]*?\s*from\s*['"]([^'"]+)['"]/gm, // export { a } from 'y', export * from 'y'
    /^\s*import\s*['"]([^'"]+)['"]/gm, // import 'y' (side effects only)
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g // await import('y')
  ]
  for (const form of forms) for (const m of code.matchAll(form)) found.push(m[1]!)
  return found
}

/** The source files a file imports (resolved paths) and the packages/built-ins it names. */
function dependencies (file: string): { local: string[], external: string[] } {
  const specs = importsOf(readFileSync(file, 'utf8'))
  return {
    local: specs.filter((s) => s.startsWith('.')).map((s) => resolve(file, '..', s).replace(/\.js$/, '.ts')),
    external: specs.filter((s) => !s.startsWith('.'))
  }
}

const rel = (p: string): string => relative(root, p)
const src = (p: string): string => join(root, 'src', p)

t.test('the import parser sees all four forms and skips comments', async (t) => {
  const text = [
    "import a from './a.js'",
    "import type { B } from './b.js'",
    'import {',
    '  c,',
    '  d',
    "} from './cd.js'",
    "export { e } from './e.js'",
    "export * from './f.js'",
    "import './side-effect.js'",
    "const g = await import('./g.js')",
    "// import h from './commented.js'",
    "/* import('./also-commented.js') */"
  ].join('\n')
  t.same(importsOf(text).sort(), ['./a.js', './b.js', './cd.js', './e.js', './f.js', './g.js', './side-effect.js'])
})

const ALLOWED_BUILTINS = new Set(['node:crypto'])

t.test('src/domain imports only src/domain and pure built-ins', async (t) => {
  const domain = src('domain')
  for (const file of files(domain)) {
    const { local, external } = dependencies(file)
    for (const target of local) t.ok(target.startsWith(domain), `${rel(file)} imports ${rel(target)}, outside src/domain`)
    for (const spec of external) t.ok(ALLOWED_BUILTINS.has(spec), `${rel(file)} imports '${spec}'; domain code may not use packages or I/O`)
    const text = readFileSync(file, 'utf8')
    t.notMatch(text, /\b(setTimeout|setInterval|process\.(env|argv|exit))\b/, `${rel(file)} uses timers or the process`)
  }
})

t.test('the delivery engine knows no HTTP server, CLI, core, composition root or I/O module', async (t) => {
  const forbiddenDirs = ['server', 'cli', 'runtime', 'adapters'].map(src)
  const forbiddenFiles = ['emulator.ts', 'compose.ts', 'index.ts'].map(src)
  const forbiddenPackages = /^(fastify|undici|node:fs|node:http|node:https|node:net|node:timers|fs|http|timers)(\/|$)/
  for (const file of files(src('delivery'))) {
    const { local, external } = dependencies(file)
    for (const target of local) {
      t.notOk(forbiddenDirs.some((d) => target.startsWith(d + '/')) || forbiddenFiles.includes(target), `${rel(file)} imports ${rel(target)}`)
    }
    // The dead-letter store is the file implementation of a store port: it may write files.
    const io = external.filter((s) => forbiddenPackages.test(s) && !(file.endsWith('dead-letter-store.ts') && /^node:fs/.test(s)))
    t.same(io, [], `${rel(file)} imports no I/O module`)
  }
  for (const file of files(src('delivery/engine')).concat(src('delivery/engine.ts'))) {
    t.notMatch(readFileSync(file, 'utf8'), /\b(setTimeout|setInterval|Date\.now)\b/, `${rel(file)} reads time only through the Clock`)
  }
})

t.test('only the composition root picks adapters', async (t) => {
  const adapters = src('adapters')
  for (const file of files(src(''))) {
    if (file === src('compose.ts') || file.startsWith(adapters + '/')) continue
    for (const target of dependencies(file).local) t.notOk(target.startsWith(adapters + '/'), `${rel(file)} imports ${rel(target)}`)
  }
})

t.test('src/server never imports adapters, the composition root or the CLI', async (t) => {
  for (const file of files(src('server'))) {
    for (const target of dependencies(file).local) {
      t.notOk(target.startsWith(src('adapters') + '/') || target.startsWith(src('cli') + '/') || target === src('compose.ts'), `${rel(file)} imports ${rel(target)}`)
    }
  }
})

t.test('every error thrown in src/ is an EmulatorError from the catalog', async (t) => {
  for (const file of files(src(''))) {
    // The dashboard's script is browser code held in a string.
    if (file === src('ui/app-js.ts')) continue
    const text = readFileSync(file, 'utf8')
    if (file !== src('domain/emulator-error.ts')) t.notMatch(text, /\bextends Error\b/, `${rel(file)} declares an error class outside the catalog's base`)
    t.notMatch(text, /\bnew Error\(/, `${rel(file)} throws a bare Error`)
  }
})
