#!/usr/bin/env node
// Thin launcher for the bundled CLI (dist/bundle/, built by `npm run build`: see scripts/bundle-cli.ts for why).
import { runCli } from '../dist/bundle/cli.js'

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env
}
process.exitCode = await runCli(process.argv.slice(2), io)
