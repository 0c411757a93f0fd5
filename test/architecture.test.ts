/**
 * The dependency rules of the layout, checked mechanically:
 *  - src/domain is pure: it imports only other domain files and side-effect-free node built-ins
 *    (no fastify, undici, yaml, fs, timers, process);
 *  - the HTTP layer (src/server) never picks adapters; only the composition root (index.ts) does.
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

function imports (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!)
}

const ALLOWED_BUILTINS = new Set(['node:crypto'])

t.test('src/domain imports only src/domain and pure built-ins', async (t) => {
  const domain = join(root, 'src/domain')
  for (const file of files(domain)) {
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = resolve(file, '..', spec)
        t.ok(target.startsWith(domain), `${relative(root, file)} imports ${spec}, outside src/domain`)
      } else {
        t.ok(ALLOWED_BUILTINS.has(spec), `${relative(root, file)} imports '${spec}'; domain code may not use packages or I/O`)
      }
    }
    const text = readFileSync(file, 'utf8')
    t.notMatch(text, /\b(setTimeout|setInterval|process\.(env|argv|exit))\b/, `${relative(root, file)} uses timers or the process`)
  }
})

t.test('src/server never imports adapters', async (t) => {
  for (const file of files(join(root, 'src/server'))) {
    for (const spec of imports(file)) t.notMatch(spec, /adapters\//, `${relative(root, file)} imports ${spec}`)
  }
})
