/**
 * Fastify's schema compilers — ajv for validation, fast-json-stringify for serialisation — loaded when a route
 * with a schema is registered rather than when an app is built. No route of the emulator has a Fastify schema
 * (bodies are checked by the precompiled validators of src/config/validators.generated.ts), so neither is loaded
 * at all: loading them was about 10 ms of every start, and the bundled CLI leaves their code out
 * (scripts/bundle-cli.ts). A route that gets a schema one day still works: the compiler is loaded then, the same
 * way Fastify would have loaded it.
 */
import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
/** What @fastify/ajv-compiler and @fastify/fast-json-stringify-compiler export: a factory of compiler builders. */
type Selector = () => (...args: unknown[]) => unknown

export function lazySchemaCompilers (): Pick<FastifyServerOptions, 'schemaController'> {
  const lazy = (name: string): (...args: unknown[]) => unknown => {
    let build: ((...args: unknown[]) => unknown) | undefined
    return (...args) => {
      // Resolved from Fastify's own location: the compilers are Fastify's dependencies, not ours.
      build ??= (createRequire(createRequire(import.meta.url).resolve('fastify'))(name) as Selector)()
      return build(...args)
    }
  }
  const compilersFactory = {
    buildValidator: lazy('@fastify/ajv-compiler'),
    buildSerializer: lazy('@fastify/fast-json-stringify-compiler')
  }
  return { schemaController: { compilersFactory: compilersFactory as CompilersFactory } }
}
