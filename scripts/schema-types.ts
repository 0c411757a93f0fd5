/**
 * Renders TypeScript declarations from JSON Schemas (the subset the emulator's schemas use), so the config
 * types cannot drift from what the validators accept. The output is plain interfaces and aliases: the shipped
 * .d.ts files need no type-level library.
 *
 * The types describe a document after apply-defaults.ts: a key with a `default` is required (and not null),
 * unless it is listed in `optionalInCode` (the loader fills it, but configs built in code may leave it out).
 * `description` becomes the doc comment. Schemas listed in `names` are emitted once under that name and
 * referred to by it; `external` maps schemas to types declared elsewhere (imported).
 */

export interface TypeRendering {
  /** Schema object (by identity) → name of the declaration emitted for it, with an optional doc comment. */
  names: Map<object, { name: string, doc?: string }>
  /** Schema object (by identity) → a type expression declared elsewhere, and the imports it needs. */
  external: Map<object, { type: string, imports: Array<{ name: string, from: string }> }>
  /** Property schemas (by identity) whose default does not make the key required. */
  optionalInCode: Set<object>
}

interface Schema {
  type?: string | readonly string[]
  enum?: readonly unknown[]
  const?: unknown
  default?: unknown
  description?: string
  properties?: Readonly<Record<string, Schema>>
  required?: readonly string[]
  additionalProperties?: Schema | boolean
  items?: Schema
}

export function renderTypes (r: TypeRendering, header: string[]): string {
  const used = new Map<string, Set<string>>()
  const declarations: string[] = []
  for (const [schema, { name, doc }] of r.names) {
    const s = schema as Schema
    const body = typeOf(s, r, used, '', schema)
    const comment = docComment(doc ?? s.description, '')
    const isObject = body.startsWith('{')
    declarations.push(`${comment}${isObject ? `export interface ${name} ${body}` : `export type ${name} = ${body}`}\n`)
  }
  const imports = [...used].sort(([a], [b]) => a.localeCompare(b))
    .map(([from, names]) => `import type { ${[...names].sort().join(', ')} } from '${from}'`)
  return [...header, ...imports, '', declarations.join('\n')].join('\n')
}

function typeOf (s: Schema, r: TypeRendering, used: Map<string, Set<string>>, indent: string, self?: object, withDefault = false): string {
  const ext = r.external.get(s)
  if (ext !== undefined) {
    for (const i of ext.imports) used.set(i.from, (used.get(i.from) ?? new Set()).add(i.name))
    return ext.type
  }
  const named = r.names.get(s)
  if (named !== undefined && s !== self) return named.name
  if (s.enum !== undefined) return s.enum.map(literal).join(' | ')
  if (s.const !== undefined) return literal(s.const)
  const types = s.type === undefined ? [] : typeof s.type === 'string' ? [s.type] : [...s.type]
  // A null that apply-defaults.ts replaces is not part of the loaded type.
  const kept = withDefault || s.default !== undefined ? types.filter((t) => t !== 'null') : types
  if (kept.length === 0) return s.properties !== undefined ? objectType(s, r, used, indent) : 'unknown'
  return kept.map((t) => {
    switch (t) {
      case 'object': return objectType(s, r, used, indent)
      case 'array': {
        const item = s.items === undefined ? 'unknown' : typeOf(s.items, r, used, indent)
        return /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`
      }
      case 'integer': return 'number'
      default: return t
    }
  }).join(' | ')
}

function objectType (s: Schema, r: TypeRendering, used: Map<string, Set<string>>, indent: string): string {
  const props = Object.entries(s.properties ?? {})
  const rest = s.additionalProperties
  if (props.length === 0) {
    return typeof rest === 'object' ? `Record<string, ${typeOf(rest, r, used, indent)}>` : 'Record<string, unknown>'
  }
  const inner = `${indent}  `
  const members = props.map(([key, p]) => {
    const required = (s.required ?? []).includes(key) || (p.default !== undefined && !r.optionalInCode.has(p))
    return { key, required, doc: p.description, type: typeOf(p, r, used, inner, undefined, p.default !== undefined) }
  })
  const oneLine = `{ ${members.map((m) => `${m.key}${m.required ? '' : '?'}: ${m.type}`).join(', ')} }`
  if (members.every((m) => m.doc === undefined) && oneLine.length + indent.length < 110 && !oneLine.includes('\n')) return oneLine
  return `{\n${members.map((m) => `${docComment(m.doc, inner)}${inner}${m.key}${m.required ? '' : '?'}: ${m.type}\n`).join('')}${indent}}`
}

function literal (v: unknown): string {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v)
}

function docComment (text: string | undefined, indent: string): string {
  return text === undefined ? '' : `${indent}/** ${text} */\n`
}
