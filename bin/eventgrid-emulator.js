#!/usr/bin/env node
// Thin launcher for the compiled CLI (npm install builds dist/ through the prepare script).
import { runCli } from '../dist/cli/main.js'

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env
}
process.exitCode = await runCli(process.argv.slice(2), io)
