import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

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

/**
 * The folder of the package this code runs from, the one holding package.json: found by walking
 * up, so it is the same from the sources (src/cli/) and from the bundle (dist/, dist/cli/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir)
    if (up === dir) throw new Error('pm-workbook cannot find its package.json')
    dir = up
  }
  return dir
}

/** The version in package.json, as `--version` prints it. */
export function packageVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'))
  const version = typeof pkg === 'object' && pkg !== null ? (pkg as { version?: unknown }).version : undefined
  return typeof version === 'string' ? version : 'unknown'
}
