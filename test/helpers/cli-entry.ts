/** Runs the CLI from source as a real process (the published bin runs the same runCli from dist/). */
import { runCli } from '../../src/cli/main.js'

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => { process.stdout.write(text) },
  stderr: (text) => { process.stderr.write(text) },
  env: process.env
})
