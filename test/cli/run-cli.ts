import { main } from '../../src/cli/main.ts'
import type { CliIo } from '../../src/cli/io.ts'

export type CliRun = { code: number; stdout: string; stderr: string }

/** Runs a command in-process with captured output, a fixed clock and the given environment. */
export async function runCli(args: string[], options: { env?: Record<string, string>; now?: Date; cwd?: string; fetch?: CliIo['fetch'] } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    out: (text) => (stdout += `${text}\n`),
    err: (text) => (stderr += `${text}\n`),
    env: options.env ?? {},
    now: () => options.now ?? new Date('2026-11-24T12:00:00Z'),
    cwd: options.cwd ?? process.cwd(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}
