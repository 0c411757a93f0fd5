#!/usr/bin/env node
// Thin launcher for the bundled CLI (dist/bundle/, built by `npm run build`: see scripts/bundle-cli.ts for why).
import module from 'node:module'

// Node >= 22.1 can keep V8's compiled code of the bundle on disk and reuse it on the next start (most of a cold
// start is compiling the bundle): in $NODE_COMPILE_CACHE if set (the Docker image ships one, warmed at build time),
// else in the OS temp dir. Node 20 has no such API, so this is a no-op there. Node only writes the cache when the
// process exits normally, which `serve` does on SIGTERM/SIGINT. The bundle is imported after this line (a static
// import would be loaded before it runs).
module.enableCompileCache?.()

const { runCli } = await import('../dist/bundle/cli.js')
const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env
}
process.exitCode = await runCli(process.argv.slice(2), io)
