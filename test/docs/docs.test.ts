/**
 * Keeps the documentation true to the code. The README and docs/ are part of the product, so this test fails when
 * they drift: an ACS type missing from the alias table, a CLI command, flag or config key nobody documented, a YAML
 * example the real config parser refuses, an `npx eventgrid-emulator …` line the real CLI would refuse, a broken link.
 * Examples are run through the project's own parsers (and, where that is cheap and side-effect free, executed against
 * an in-process emulator) rather than merely searched for.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as eventgrid from '@azure/eventgrid'
import t, { type Test } from 'tap'
import { parse as parseYaml } from 'yaml'
import { serveSettingsFromArgs } from '../../src/cli/commands/serve.js'
import { runCli, USAGE } from '../../src/cli/main.js'
import { parseConfig } from '../../src/config/load-config.js'
import { configSchema } from '../../src/config/schema.js'
import { listAcsEventTypes } from '../../src/domain/acs/index.js'
import { resolveConfig, startEmulator, type RunningEmulator } from '../../src/index.js'
import { loadScenarioFile, parseScenario } from '../../src/scenarios/load-scenario.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// Paths in the examples (config.example.yaml, samples/…) are relative to a clone's root, as for a user there.
process.chdir(ROOT)
const DOCS = join(ROOT, 'docs')

// ---------------------------------------------------------------------------------------------------------------
// Markdown, read just well enough for these checks (fences, headings, links, inline code).

interface CodeBlock { file: string, line: number, lang: string, info: string[], text: string }
interface MarkdownFile { path: string, rel: string, text: string, lines: string[], blocks: CodeBlock[], prose: Array<{ line: number, text: string }> }

function readMarkdown (path: string): MarkdownFile {
  const text = readFileSync(path, 'utf8')
  const lines = text.split('\n')
  const rel = relative(ROOT, path)
  const blocks: CodeBlock[] = []
  const prose: MarkdownFile['prose'] = []
  let open: { fence: string, line: number, lang: string, info: string[], body: string[] } | undefined
  lines.forEach((line, i) => {
    if (open !== undefined) {
      if (new RegExp(`^ {0,3}${open.fence}\`*\\s*$`).test(line)) {
        blocks.push({ file: rel, line: open.line, lang: open.lang, info: open.info, text: open.body.join('\n') + '\n' })
        open = undefined
      } else open.body.push(line)
      return
    }
    // CommonMark: a backtick fence's info string contains no backtick (so ```` ```yaml ```` in prose is not a fence).
    const fence = /^ {0,3}(`{3,})([^`]*)$/.exec(line)
    if (fence !== null) {
      const [lang = '', ...info] = fence[2]!.trim().split(/\s+/)
      open = { fence: fence[1]!, line: i + 1, lang, info, body: [] }
      return
    }
    prose.push({ line: i + 1, text: line })
  })
  return { path, rel, text, lines, blocks, prose }
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors (file: MarkdownFile): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const { text } of file.prose) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)
    if (h === null) continue
    const base = h[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** `[text](target)` links in prose (not in code blocks or inline code). */
function links (file: MarkdownFile): Array<{ line: number, target: string }> {
  const out: Array<{ line: number, target: string }> = []
  for (const { line, text } of file.prose) {
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) out.push({ line, target: m[1]! })
  }
  return out
}

/** From a heading to the next heading of the same or a higher level (a `# comment` in a code block is no heading). */
function section (file: MarkdownFile, heading: RegExp): string {
  const headings = file.prose.filter((p) => /^#{1,6}\s/.test(p.text))
  const start = headings.findIndex((h) => heading.test(h.text))
  if (start < 0) return ''
  const level = /^#+/.exec(headings[start]!.text)![0].length
  const next = headings.slice(start + 1).find((h) => /^#+/.exec(h.text)![0].length <= level)
  return file.lines.slice(headings[start]!.line - 1, next === undefined ? undefined : next.line - 1).join('\n')
}

const docsFiles = readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort()
const readme = readMarkdown(join(ROOT, 'README.md'))
const docs = new Map(docsFiles.map((f) => [f, readMarkdown(join(DOCS, f))]))
const doc = (name: string): MarkdownFile => {
  const file = docs.get(name)
  if (file === undefined) throw new Error(`docs/${name} is missing`)
  return file
}
/** Every Markdown file a user reads: the README, docs/, and the READMEs of samples/ and data/. */
const sampleReadmes = ['samples', 'data'].flatMap((dir) => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((e) => e.isDirectory() ? [join(dir, e.name, 'README.md')] : e.name === 'README.md' ? [join(dir, e.name)] : [])
  .filter((p) => existsSync(join(ROOT, p))))
const allMarkdown = [readme, ...docs.values(), ...sampleReadmes.map((p) => readMarkdown(join(ROOT, p)))]

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI in-process.

interface CliResult { code: number, stdout: string, stderr: string }

async function cli (argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, { stdout: (s) => { stdout += s }, stderr: (s) => { stderr += s }, env })
  return { code, stdout, stderr }
}

/** `--flag` names a help text mentions, and which of them take a value (`--url URL`, `--count N`). */
function helpFlags (help: string): Map<string, boolean> {
  const flags = new Map<string, boolean>()
  for (const m of help.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)( [A-Z][A-Z_|]*\b| auto\b)?/g)) {
    if (m[1] === '--help') continue
    flags.set(m[1]!, (flags.get(m[1]!) ?? false) || m[2] !== undefined)
  }
  return flags
}

/** The commands the CLI's own usage lists ("config check FILE" → "config check"), plus those PRODUCT.md fixes. */
function cliCommands (): string[] {
  const listed = USAGE.split('Commands:\n')[1]!.split('\n\n')[0]!.split('\n')
    .map((l) => l.trim().split(/\s{2,}/)[0]!.split(' ').filter((w) => /^[a-z][a-z-]*$/.test(w)).join(' '))
    .filter((c) => c !== '' && c !== 'help')
  return [...new Set([...listed, 'serve', 'emit', 'events', 'config check', 'filter test', 'scenario run', 'tail'])]
}

// ---------------------------------------------------------------------------------------------------------------

t.test('the README is short and points to every docs file', async (t) => {
  t.ok(readme.lines.length <= 250, `README.md has ${readme.lines.length} lines (at most 250)`)
  const linked = new Set(links(readme).map((l) => l.target.split('#')[0]))
  for (const f of docsFiles) t.ok(linked.has(`docs/${f}`), `README.md links docs/${f}`)
  const index = new Set(links(doc('README.md')).map((l) => l.target.split('#')[0]))
  for (const f of docsFiles.filter((f) => f !== 'README.md')) t.ok(index.has(f), `docs/README.md lists ${f}`)
  // The quick start's two commands are what CI and a newcomer run on a fresh clone.
  t.match(readme.text, /```sh\nnpm install && npm start {5}# .*\nnpm test {21}# /, 'the quick start keeps its two commands')
})

t.test('every ACS event type and alias is in the table of docs/acs-events.md', async (t) => {
  const acs = doc('acs-events.md')
  const types = listAcsEventTypes()
  for (const type of types) {
    t.ok(acs.text.includes(`| \`${type.aliases[0]!}\` | \`${type.eventType}\` |`), `${type.eventType} (${type.aliases[0]!})`)
  }
  const rows = acs.lines.filter((l) => /^\| `[a-z0-9-]+` \| `Microsoft\.Communication\.\w+` \|/.test(l))
  t.equal(rows.length, types.length, 'and no row for a type the emulator does not have')
  t.ok(acs.text.includes(`All ${types.length} \``), `docs/acs-events.md says how many types there are (${types.length})`)
})

t.test('every CLI command the CLI has, and every flag it takes, is in docs/cli.md', async (t) => {
  const cliDoc = doc('cli.md')
  for (const command of cliCommands()) {
    const help = await cli([...command.split(' '), '--help'])
    if (help.code !== 0) {
      // Listed in PRODUCT.md but not built yet: nothing to document until the CLI answers.
      t.match(help.stderr, /Unknown command/, `${command}: the CLI does not have it yet`)
      continue
    }
    const text = section(cliDoc, new RegExp(`^#+ \`${command}\`$`))
    t.not(text, '', `docs/cli.md has a section for \`${command}\``)
    for (const flag of helpFlags(help.stdout).keys()) {
      t.match(text, new RegExp(`${flag}(?![a-z-])`), `docs/cli.md documents ${command} ${flag}`)
    }
  }
})

/** Every key of the config file, as `server.port`, `topics.<name>.keys`, `….deliveryAttributeMappings[].name`. */
function schemaKeys (schema: Record<string, unknown>, path = ''): string[] {
  const out: string[] = []
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined
  for (const [key, sub] of Object.entries(props ?? {})) {
    const p = path === '' ? key : `${path}.${key}`
    out.push(p, ...schemaKeys(sub, p))
  }
  const additional = schema.additionalProperties
  if (typeof additional === 'object' && additional !== null) out.push(...schemaKeys(additional as Record<string, unknown>, `${path}.<name>`))
  const items = schema.items
  if (typeof items === 'object' && items !== null) out.push(...schemaKeys(items as Record<string, unknown>, `${path}[]`))
  return out
}

/** The keys a YAML config example actually uses, named the way schemaKeys names them. */
function usedKeys (value: unknown, schema: Record<string, unknown>, path = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    if (typeof schema.items === 'object') for (const v of value) usedKeys(v, schema.items as Record<string, unknown>, `${path}[]`, out)
    return out
  }
  if (value === null || typeof value !== 'object') return out
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
  for (const [key, v] of Object.entries(value)) {
    if (props[key] !== undefined) {
      const p = path === '' ? key : `${path}.${key}`
      out.add(p)
      usedKeys(v, props[key], p, out)
    } else if (typeof schema.additionalProperties === 'object') {
      usedKeys(v, schema.additionalProperties as Record<string, unknown>, `${path}.<name>`, out)
    }
  }
  return out
}

/**
 * Keys may be written relative to the object they belong to: a subscription body is documented once as a unit (it
 * is also the body of PUT /admin/topics/{topic}/subscriptions/{name}), and so is ARM's inputSchemaMapping.
 */
const RELATIVE_TO = ['topics.<name>.subscriptions.<name>.', 'topics.<name>.inputSchemaMapping.', 'domains.<name>.subscriptions.<name>.',
  'domains.<name>.topics.<name>.subscriptions.<name>.', 'domains.<name>.inputSchemaMapping.', 'domains.<name>.']

/** A key inside a unit documented once (a subscription body, an input schema mapping), named relative to it. */
function unitKey (key: string): string {
  const sub = /^(?:topics|domains(?:\.<name>\.topics)?)\.<name>\.subscriptions\.<name>\.(.+)$/.exec(key)
  if (sub !== null) return `subscription:${sub[1]!}`
  const mapping = /^(?:topics|domains)\.<name>\.inputSchemaMapping(.*)$/.exec(key)
  return mapping !== null ? `inputSchemaMapping:${mapping[1]!}` : key
}

const yamlBlocks = allMarkdown.flatMap((f) => f.blocks).filter((b) => b.lang === 'yaml' || b.lang === 'yml')
const where = (b: CodeBlock): string => `${b.file}:${b.line}`
/** Examples assume no environment, so `${VAR:-default}` shows its default. */
const NO_ENV = {}
const isConfig = (doc: unknown): doc is Record<string, unknown> =>
  doc !== null && typeof doc === 'object' && !Array.isArray(doc) && !('steps' in doc) &&
  Object.keys(doc).some((k) => k in configSchema.properties)
const isScenario = (doc: unknown): boolean => doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'steps' in doc

/**
 * Every config key is documented, and used in a (valid) example: in docs/configuration.md, or in the page of the
 * feature it belongs to (domains.md, namespaces.md, …), which configuration.md links to.
 */
t.test('every config key is documented in the docs, and used in one of their (valid) examples', async (t) => {
  // Placeholders are spelled per page (`<ns>`, `<topic>`, `<sub>`): all mean a name.
  const text = allMarkdown.map((f) => f.text).join('\n').replace(/<[a-zA-Z]+>/g, '<name>')
  const blocks = allMarkdown.flatMap((f) => f.blocks)
  const exemplified = new Set<string>()
  for (const b of blocks.filter((b) => b.lang === 'yaml')) {
    if (b.info.includes('fragment')) continue
    const parsed: unknown = parseYaml(b.text)
    if (isConfig(parsed)) usedKeys(parsed, configSchema, '', exemplified)
  }
  for (const key of schemaKeys(configSchema)) {
    const forms = [key, ...RELATIVE_TO.filter((base) => key.startsWith(base)).map((base) => key.slice(base.length))]
    // docs/namespaces.md writes the keys of a namespace event subscription as `….deliveryConfiguration…`, and
    // describes the fields of a small object (a dead-letter destination) in its parent's row.
    const nsSub = /^namespaces\.<name>\.topics\.<name>\.eventSubscriptions\.<name>\.(.+)$/.exec(key)
    if (nsSub !== null) {
      forms.push(`….${nsSub[1]!}`)
      const parent = nsSub[1]!.split('.').slice(0, -1).join('.')
      if (parent !== '') forms.push(`….${parent}`)
      const deadLetter = /^(.*deadLetterDestination)\./.exec(nsSub[1]!)
      if (deadLetter !== null) forms.push(`….${deadLetter[1]!}`)
    }
    t.ok(forms.some((f) => text.includes(`\`${f}\``)), `the docs document \`${forms.at(-1)!}\``)
    t.ok(exemplified.has(key) || [...exemplified].some((k) => unitKey(k) === unitKey(key)), `an example in the docs uses ${key}`)
  }
})

t.test('every YAML example is valid: configs by the config parser, scenarios by the scenario loader', async (t) => {
  for (const b of yamlBlocks) {
    if (b.info.includes('fragment')) continue
    let parsed: unknown
    try { parsed = parseYaml(b.text) } catch (err) { t.fail(`${where(b)}: not valid YAML (mark a deliberate fragment \`\`\`yaml fragment): ${(err as Error).message}`); continue }
    // Padded so that a problem's file:line:col points into the Markdown file itself.
    const padded = '\n'.repeat(b.line) + b.text
    if (isScenario(parsed)) {
      t.doesNotThrow(() => parseScenario(padded, b.file, NO_ENV), `${where(b)} is a valid scenario`)
    } else if (isConfig(parsed)) {
      t.doesNotThrow(() => parseConfig(padded, b.file, NO_ENV), `${where(b)} is a valid config`)
    }
  }
  // The ${VAR} rules docs/configuration.md states, checked rather than believed.
  t.equal(parseConfig('server:\n  port: ${PORT:-4000}\n', 'block', { PORT: '4106' }).server.port, 4106, 'an unquoted block value takes its type')
  t.equal(parseConfig('server: { port: "${PORT:-4000}" }\n', 'quoted', { PORT: '4106' }).server.port, 4106, 'a quoted whole ${VAR} takes the type the key expects')
  t.same(parseConfig('topics:\n  orders: { keys: ["${KEY}"] }\n', 'quoted', { KEY: '12345' }).topics.orders!.keys, ['12345'], 'and stays a string where a string is expected')
  t.throws(() => parseConfig('server: { port: "${PORT}" }\n', 'quoted', { PORT: 'abc' }), /server\.port: must be integer, got 'abc'/, 'a value that is not a number is refused')
  t.throws(() => parseConfig('server: { port: ${PORT} }\n', 'unquoted', { PORT: '1' }), /must be quoted: write "\$\{VAR\}"/, 'unquoted in a flow map: one error that says how to fix it')
  t.equal(parseConfig('server: { host: "${HOST:-0.0.0.0}" }\n', 'flow', {}).server.host, '0.0.0.0', 'a quoted string in a flow map works')
  t.throws(() => parseConfig('server:\n  host: ${HOST}\n', 'unset', {}), /not set and has no default/, 'an unset variable without a default is an error')
  t.equal(parseConfig('server:\n  host: ${HOST:-0.0.0.0}\n', 'empty', { HOST: '' }).server.host, '0.0.0.0', 'an empty variable counts as unset')
})

// ---------------------------------------------------------------------------------------------------------------
// `npx eventgrid-emulator …` lines.

interface ShellLine { file: string, where: string, words: string[] }

/**
 * Splits a shell line into words as sh would (quotes, backslashes), stopping at a comment or an operator; returns
 * the words from `npx eventgrid-emulator` on, or undefined when the line does not run it.
 */
function emulatorWords (line: string): { words: string[], bare: boolean } | undefined {
  const words: string[] = []
  let word: string | undefined
  let i = 0
  const push = (): void => { if (word !== undefined) words.push(word); word = undefined }
  for (; i < line.length; i++) {
    const c = line[i]!
    if (c === "'") {
      const end = line.indexOf("'", i + 1) < 0 ? line.length : line.indexOf("'", i + 1)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let s = ''
      for (i++; i < line.length && line[i] !== '"'; i++) s += line[i] === '\\' ? line[++i]! : line[i]!
      word = (word ?? '') + s
    } else if (c === '\\') word = (word ?? '') + line[++i]!
    else if (/\s/.test(c)) push()
    else if (c === '#' && word === undefined) break
    else if ('|&;<>'.includes(c)) { push(); words.push('\0') } else word = (word ?? '') + c
  }
  push()
  const start = words.findIndex((w, j) => w === 'eventgrid-emulator' && words[j - 1] === 'npx')
  if (start >= 0) {
    const end = words.indexOf('\0', start)
    return { words: words.slice(start + 1, end < 0 ? undefined : end), bare: false }
  }
  // The binary invoked without npx: the command a user copies would fail outside the repository's scripts.
  const first = words.findIndex((w) => !/^[A-Z_]+=/.test(w))
  return words[first] === 'eventgrid-emulator' ? { words: [], bare: true } : undefined
}

/** Expands `*` in a path the way the shell would, relative to the repository. */
function glob (pattern: string): string[] {
  if (!pattern.includes('*')) return [pattern]
  let paths = ['']
  for (const seg of pattern.split('/')) {
    const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`)
    paths = paths.flatMap((p) => {
      if (!seg.includes('*')) return [p === '' ? seg : `${p}/${seg}`]
      const dir = join(ROOT, p)
      return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((n) => re.test(n)).map((n) => p === '' ? n : `${p}/${n}`) : []
    })
  }
  return paths.filter((p) => existsSync(join(ROOT, p))).sort()
}

const shellLines: ShellLine[] = []
const bareLines: string[] = []
for (const b of allMarkdown.flatMap((f) => f.blocks).filter((b) => ['sh', 'bash', 'shell', 'console'].includes(b.lang))) {
  const raw = b.text.split('\n')
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!
    const at = `${b.file}:${b.line + 1 + i}`
    while (line.endsWith('\\') && i + 1 < raw.length) line = line.slice(0, -1) + raw[++i]!
    // A commented-out alternative (`# npx eventgrid-emulator … --url …`) is still a command someone will run.
    const found = emulatorWords(line.replace(/^\s*(\$|#)\s*(?=npx )/, ''))
    if (found?.bare === true) bareLines.push(at)
    else if (found !== undefined) shellLines.push({ file: b.file, where: at, words: found.words.flatMap((w) => w.includes('*') ? glob(w) : [w]) })
  }
}

t.test('commands are spelled one way: npx eventgrid-emulator …', async (t) => {
  t.same(bareLines, [], 'no ```sh line runs a bare eventgrid-emulator')
  for (const f of allMarkdown) {
    for (const { line, text } of f.prose) {
      for (const m of text.matchAll(/`(eventgrid-emulator [a-z][^`]*)`/g)) t.fail(`${f.rel}:${line}: write \`npx ${m[1]!}\``)
    }
  }
  t.ok(shellLines.length >= 20, `found ${shellLines.length} command lines to check`)
})

/** Passes when `run` resolves; otherwise fails with the label and the error, so the report names the doc line. */
async function accepts (t: Test, label: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
    t.pass(label)
  } catch (err) {
    t.fail(`${label}: ${(err as Error).message}`)
  }
}

t.test('every npx eventgrid-emulator line in the docs is accepted by the real CLI', async (t) => {
  // emit and scenario run talk to an emulator; this one answers them, so nothing leaves the process.
  const eg: RunningEmulator = await startEmulator({ port: 0, timeScale: 0.001 })
  const tmp = mkdtempSync(join(tmpdir(), 'eg-docs-'))
  t.teardown(async () => { await eg.close(); rmSync(tmp, { recursive: true, force: true }) })
  // A block such as ```yaml file=eventgrid.yaml is the file that the commands of the same page name.
  const named = new Map<string, string>()
  for (const f of allMarkdown) {
    for (const b of f.blocks) {
      const name = b.info.find((i) => i.startsWith('file='))?.slice('file='.length)
      if (name === undefined) continue
      const path = join(tmp, f.rel.replace(/[/.]/g, '_'), name)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, b.text)
      named.set(`${f.rel}\0${name}`, path)
    }
  }
  const trivialScenario = join(tmp, 'trivial.yaml')
  writeFileSync(trivialScenario, 'name: docs check\nsteps:\n  - wait: 1ms\n')
  /** Each command's flags (and whether they take a value), from its --help; null when the CLI has no such command. */
  const helps = new Map<string, Map<string, boolean> | null>()
  const twoWordCommands = new Set(cliCommands().filter((c) => c.includes(' ')).map((c) => c.split(' ')[0]!))
  const commandOf = (words: string[]): string => {
    if (words[0] === undefined || words[0].startsWith('-')) return 'serve'
    return twoWordCommands.has(words[0]) ? words.slice(0, 2).join(' ') : words[0]
  }

  for (const line of shellLines) {
    const { where } = line
    const words = line.words.map((w) => named.get(`${line.file}\0${w}`) ?? w)
    const label = `${where}: npx eventgrid-emulator ${line.words.join(' ')}`
    // npm parses these itself when they come first, so the user would see npm's help or version, not ours.
    if (['--help', '-h', '--version', '-v'].includes(words[0] ?? '')) { t.fail(`${label}: write help / version (npx answers ${words[0]!} itself)`); continue }
    if (['help', 'version'].includes(words[0] ?? '') || words.includes('--help')) {
      t.equal((await cli(words)).code, 0, label)
      continue
    }
    const command = commandOf(words)
    const args = words.slice(command === 'serve' && words[0] !== 'serve' ? 0 : command.split(' ').length)
    if (!helps.has(command)) {
      const help = await cli([...command.split(' '), '--help'])
      helps.set(command, help.code === 0 ? helpFlags(help.stdout) : null)
    }
    const flags = helps.get(command)
    if (flags === null || flags === undefined) { t.fail(`${label}: the CLI has no command '${command}'`); continue }
    for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!)) {
      t.ok(flags.has(flag), `${label}: ${command} --help lists ${flag}`)
    }
    // The arguments that are not flags or flag values (files, event types).
    const positionals = args.filter((a, i) => !a.startsWith('-') && !(args[i - 1]?.startsWith('--') === true && flags.get(args[i - 1]!) === true))

    switch (command) {
      case 'serve': {
        // Parsed and its config loaded exactly as `serve` does, without listening.
        await accepts(t, label, async () => await resolveConfig(serveSettingsFromArgs(args, NO_ENV).options))
        break
      }
      case 'events':
      case 'config check': {
        const r = await cli(words)
        t.equal(r.code, 0, label, { stderr: r.stderr })
        break
      }
      case 'filter test': {
        const r = await cli(words)
        t.ok(r.code === 0 || r.code === 1, `${label} (MATCH or NO MATCH, not exit 2)`, { stderr: r.stderr })
        break
      }
      case 'emit': {
        // Executed: the event type, its overrides and --data are checked by the emulator as for a user.
        const redirected = args.map((a, i) => args[i - 1] === '--url' ? eg.url : a)
        const r = await cli(['emit', ...redirected], { EVENTGRID_EMULATOR_URL: eg.url })
        t.equal(r.code, 0, label, { stderr: r.stderr })
        break
      }
      case 'scenario run': {
        // Each scenario file is loaded and checked; the options are run for real on a one-step scenario, because
        // the documented scenarios need their receivers and take seconds.
        for (const file of positionals) {
          await accepts(t, `${label}: ${file} is a valid scenario`, async () => await loadScenarioFile(file, NO_ENV))
        }
        const redirected = args
          .map((a, i) => args[i - 1] === '--url' ? eg.url : args[i - 1] === '--junit' ? join(tmp, 'report.xml') : a)
          .filter((a) => !positionals.includes(a))
        const r = await cli(['scenario', 'run', trivialScenario, ...redirected])
        t.equal(r.code, 0, `${label}: its options run`, { stderr: r.stderr, stdout: r.stdout })
        break
      }
      default:
        // A command this test has no safe way to run (e.g. one that streams forever): its flags were checked above.
        t.pass(`${label}: ${command} exists`)
    }
  }
})

t.test('links between the docs resolve, anchors included', async (t) => {
  const anchorsOf = new Map<string, Set<string>>()
  const anchorSet = (path: string): Set<string> => {
    if (!anchorsOf.has(path)) anchorsOf.set(path, anchors(readMarkdown(path)))
    return anchorsOf.get(path)!
  }
  for (const f of allMarkdown) {
    for (const { line, target } of links(f)) {
      if (/^[a-z]+:/i.test(target)) continue // http(s), mailto: not checked offline
      const [path = '', anchor] = target.split('#')
      const file = path === '' ? f.path : resolve(dirname(f.path), path)
      const at = `${f.rel}:${line} → ${target}`
      if (!existsSync(file)) {
        t.fail(`${at}: no such file`)
        continue
      }
      if (anchor !== undefined) {
        t.ok(file.endsWith('.md') && anchorSet(file).has(anchor), `${at}: the heading exists`)
      }
    }
  }
})

// ---------------------------------------------------------------------------------------------------------------
// TypeScript examples. Each complete one is a file under samples/docs/ (so `npm run typecheck` compiles it with the
// project's strict settings, and tap does not take it for a test) and is shown verbatim, but for the package name
// in its import.

const EXAMPLE_IMPORT = "from '../../src/index.js'"
const tsBlocks = allMarkdown.flatMap((f) => f.blocks).filter((b) => b.lang === 'ts' || b.lang === 'typescript')

t.test('every TypeScript example is a checked-in example file, shown verbatim', async (t) => {
  const shown = new Set<string>()
  for (const b of tsBlocks) {
    if (b.info.includes('fragment')) continue
    const example = b.info.find((i) => i.startsWith('example='))?.slice('example='.length)
    if (example === undefined) { t.fail(`${where(b)}: name the example file (\`\`\`ts example=samples/docs/….ts) or mark it \`\`\`ts fragment`); continue }
    shown.add(example)
    const source = readFileSync(join(ROOT, example), 'utf8').replaceAll(EXAMPLE_IMPORT, "from 'eventgrid-emulator'")
    t.equal(b.text, source, `${where(b)} shows ${example}`)
  }
  const files = readdirSync(join(ROOT, 'samples/docs')).filter((f) => f.endsWith('.ts')).map((f) => `samples/docs/${f}`)
  t.same(files.filter((f) => !shown.has(f)), [], 'every example file is shown somewhere')
})

t.test('the TypeScript examples run', async (t) => {
  await t.test('node-test.ts: the README\'s node:test test passes', async (t) => {
    const tests: Array<() => Promise<void>> = []
    await t.mockImport('../../samples/docs/node-test.js', { 'node:test': { test: (_name: string, fn: () => Promise<void>) => { tests.push(fn) } } })
    t.equal(tests.length, 1)
    for (const run of tests) await run()
  })

  await t.test('retries.ts: its assertions hold', async (t) => {
    await t.resolves(import('../../samples/docs/retries.js'))
  })

  await t.test('publish-sdk.ts: both sends reach config.example.yaml\'s orders topic', async (t) => {
    // The example targets port 4000; a shared machine may have that taken, so its URLs are moved to a free port.
    // dataDir: anything the example config would write (dead letters) goes to a temporary directory.
    const dataDir = mkdtempSync(join(tmpdir(), 'eg-docs-sdk-'))
    const eg = await startEmulator({ port: 0, config: 'config.example.yaml', env: NO_ENV, dataDir })
    t.teardown(async () => { await eg.close(); rmSync(dataDir, { recursive: true, force: true }) })
    const moved = (url: string): string => url.replace('http://127.0.0.1:4000', eg.url)
    class Client extends eventgrid.EventGridPublisherClient<'EventGrid'> {
      constructor (endpoint: string, schema: 'EventGrid', credential: eventgrid.AzureKeyCredential | eventgrid.AzureSASCredential, options?: eventgrid.EventGridPublisherClientOptions) {
        super(moved(endpoint), schema, credential, options)
      }
    }
    await t.mockImport('../../samples/docs/publish-sdk.js', {
      '@azure/eventgrid': {
        ...eventgrid,
        EventGridPublisherClient: Client,
        generateSharedAccessSignature: async (url: string, ...rest: [eventgrid.AzureKeyCredential, Date]) => await eventgrid.generateSharedAccessSignature(moved(url), ...rest)
      }
    })
    const delivered = await eg.waitForDeliveries((r) => r.topic === 'orders' && r.outcome === 'Delivered', 2)
    t.equal(delivered.length, 2)
  })
})

t.test('every startEmulator option and RunningEmulator member is in docs/node-api.md', async (t) => {
  const source = readFileSync(join(ROOT, 'src/index.ts'), 'utf8')
  const text = doc('node-api.md').text
  for (const name of ['StartOptions', 'RunningEmulator']) {
    const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? ''
    const members = [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!)
    t.ok(members.length > 3, `found the members of ${name}`)
    for (const m of members) t.match(text, new RegExp(`\`${m}[\`(]`), `docs/node-api.md documents ${name}.${m}`)
  }
})
