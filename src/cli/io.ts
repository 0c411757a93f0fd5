/** What a CLI command may touch: its output streams and the environment. Tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
}

/** A CLI verb: receives the arguments after the verb and returns the process exit code. */
export type Command = (argv: string[], io: CliIo) => Promise<number>
