/** What a command may touch of the outside world; tests pass their own. */
export type CliIo = {
  out: (text: string) => void
  err: (text: string) => void
  env: Readonly<Record<string, string | undefined>>
  now: () => Date
  cwd: string
  /** The HTTP client for Graph calls (tests inject one; default: global fetch). */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

export const processIo = (): CliIo => ({
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  now: () => new Date(),
  cwd: process.cwd(),
})

/** Exit codes: 0 fine, 1 the workbook or the write has a problem, 2 the command could not run (bad arguments, unreadable source). */
export const EXIT = { ok: 0, problems: 1, failed: 2 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** A usage or argument error: printed as one line, never a stack trace. */
export class UsageError extends Error {}
