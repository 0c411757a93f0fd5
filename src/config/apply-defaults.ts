/**
 * Fills a validated document with the `default`s its JSON Schema declares, so each default is written once, in
 * the schema (and the generated types mark those keys as always present). A key that is missing gets a copy
 * of its default; so does a key whose value is null when its schema allows null and declares a default, which
 * is how `subscriptions:` with nothing under it becomes an empty map. Mutates and returns `value`.
 */
interface SchemaNode {
  type?: string | readonly string[]
  default?: unknown
  properties?: Readonly<Record<string, SchemaNode>>
  additionalProperties?: SchemaNode | boolean
  items?: SchemaNode
  [keyword: string]: unknown
}

export function applyDefaults<T> (schema: SchemaNode, value: T): T {
  return fill(schema, value) as T
}

function fill (schema: SchemaNode, value: unknown): unknown {
  if (schema.default !== undefined && (value === undefined || (value === null && allowsNull(schema)))) value = structuredClone(schema.default)
  if (Array.isArray(value)) {
    if (schema.items !== undefined) value.forEach((item, i) => { value[i] = fill(schema.items!, item) })
    return value
  }
  if (value === null || typeof value !== 'object') return value
  const object = value as Record<string, unknown>
  const properties = schema.properties ?? {}
  for (const [key, sub] of Object.entries(properties)) {
    const filled = fill(sub, object[key])
    if (filled !== undefined) object[key] = filled
  }
  const rest = schema.additionalProperties
  if (typeof rest === 'object') {
    for (const key of Object.keys(object)) if (!Object.hasOwn(properties, key)) object[key] = fill(rest, object[key])
  }
  return object
}

function allowsNull (schema: SchemaNode): boolean {
  return schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))
}
