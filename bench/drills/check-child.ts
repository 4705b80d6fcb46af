import { createInterface } from 'node:readline'
import { checkCommand } from '../../src/cli/commands/check.ts'
import type { CliIo } from '../../src/cli/io.ts'

/**
 * Drill 5's checker for real files: runs the check command's own function on each path it is sent
 * (one JSON line in, one JSON line out), in a process of its own with a capped heap, so a workbook
 * that makes `check` exhaust memory or hang is recorded as a crash and the drill goes on.
 */

export type CheckAnswer = { code: number | null; out: string; err: string; thrown: { name: string; message: string } | null }

const lines = createInterface({ input: process.stdin })
for await (const line of lines) {
  const { path, cwd } = JSON.parse(line) as { path: string; cwd: string }
  const out: string[] = []
  const errors: string[] = []
  const io: CliIo = { out: (t) => out.push(t), err: (t) => errors.push(t), env: {}, now: () => new Date(), cwd }
  let answer: CheckAnswer
  try {
    const code = await checkCommand([path, '--json'], io)
    answer = { code, out: out.join('\n'), err: errors.join('\n'), thrown: null }
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e))
    answer = { code: null, out: out.join('\n'), err: errors.join('\n'), thrown: { name: error.constructor.name, message: (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') } }
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`)
}
