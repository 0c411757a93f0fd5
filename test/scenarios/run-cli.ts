/** Runs `eventgrid-emulator scenario run …` in-process, capturing its output. */
import { runCli } from '../../src/cli/main.js'

export async function scenarioRun (args: string[], env: Record<string, string> = {}): Promise<{ code: number, out: string }> {
  let out = ''
  const io = { stdout: (t: string) => { out += t }, stderr: (t: string) => { out += t }, env: { ...process.env, ...env } }
  const code = await runCli(['scenario', 'run', ...args], io)
  return { code, out }
}
