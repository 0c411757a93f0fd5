/**
 * `${VAR}` and `${VAR:-default}` expansion in config string values, done on the YAML nodes (not on the raw
 * text) so positions stay exact and a value can never break the YAML syntax around it.
 */
import { Scalar, parse, visit, type Document } from 'yaml'

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

export interface UnsetVariable { name: string, offset: number }

export interface Expansion {
  /** Variables that were neither set nor given a default. */
  unset: UnsetVariable[]
  /** Quoted scalars that were exactly one `${VAR}`: their type may follow the schema (see yaml-source.ts). */
  quotedWhole: WeakSet<Scalar>
}

/** Expands in place. */
export function expandEnv (doc: Document, env: Record<string, string | undefined>): Expansion {
  const unset: UnsetVariable[] = []
  const quotedWhole = new WeakSet<Scalar>()
  visit(doc, {
    Scalar (key, node) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return
      const whole = new RegExp(`^${PATTERN.source}$`).test(node.value)
      const expanded = node.value.replace(PATTERN, (_m: string, name: string, fallback: string | undefined) => {
        const value = env[name]
        if (value !== undefined && value !== '') return value
        if (fallback !== undefined) return fallback
        unset.push({ name, offset: node.range?.[0] ?? 0 })
        // Left as written, so the reported problem is not followed by a misleading "empty value" one.
        return _m
      })
      // An unquoted `port: ${PORT:-4000}` should give the number 4000, as if it had been written there.
      const typed: unknown = whole && node.type === Scalar.PLAIN ? parse(expanded) : expanded
      node.value = typed !== null && typeof typed !== 'object' ? typed : expanded
      if (whole && node.type !== Scalar.PLAIN) quotedWhole.add(node)
    }
  })
  return { unset, quotedWhole }
}
