// The project's style: neostandard (the Fastify family's standard style) for TypeScript.
import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    // Generated files are checked by their freshness tests, not by hand-written style. bench/.tmp/ holds what
    // `npm run bench` writes (a bundled minimal Fastify app): linting it would fail `npm test` after a bench run.
    ignores: ['dist/**', 'node_modules/**', 'src/**/*.generated.ts', 'bench/.tmp/**']
  }),
  {
    rules: {
      // `${VAR}` is the config files' environment syntax: messages and tests quote it on purpose.
      'no-template-curly-in-string': 'off',
      // `void promise` marks a deliberate fire-and-forget whose errors are handled inside.
      'no-void': ['error', { allowAsStatement: true }],
      // The filters compare `typeof value` with a type name kept in the compiled check; TypeScript types both sides.
      'valid-typeof': 'off'
    }
  }
]
