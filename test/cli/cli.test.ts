import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { runCli } from './run-cli.ts'

const BIN = resolve(import.meta.dirname, '../../bin/pm-workbook.mjs')
const run = promisify(execFile)

let dir: string
let sample: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-cli-'))
  sample = join(dir, 'd.xlsx')
  const init = await runCli(['init', sample, '--sample', '--as-of', '2026-11-24'])
  expect(init.code).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('pm-workbook init, check and status on the sample district', () => {
  it('the sample meets the contract: check exits 0', async () => {
    const check = await runCli(['check', sample])
    expect(check.stdout).toContain('meets the workbook contract')
    expect(check.code).toBe(0)
  })

  it('gives every WIG a status and shows all seven statuses', async () => {
    const status = await runCli(['status', sample, '--as-of', '2026-11-24', '--json'])
    const report = JSON.parse(status.stdout) as { wigs: { status: string; steps: { overdue: number } }[]; problems: unknown[] }
    expect(report.problems).toEqual([])
    expect(report.wigs.length).toBeGreaterThanOrEqual(15)
    expect(new Set(report.wigs.map((w) => w.status))).toEqual(new Set(WIG_STATUSES))
    expect(report.wigs.some((w) => w.steps.overdue > 0)).toBe(true)
  })

  it('prints a readable table by default', async () => {
    const status = await runCli(['status', sample, '--as-of', '2026-11-24'])
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/WIG\s+Status\s+Progress/)
    expect(status.stdout).toContain('as of 2026-11-24')
  })

  it('never overwrites an existing file unless --force', async () => {
    const before = statSync(sample).mtimeMs
    const again = await runCli(['init', sample, '--sample'])
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain('already exists')
    expect(statSync(sample).mtimeMs).toBe(before)
    const forced = await runCli(['init', join(dir, 'e.xlsx')])
    expect(forced.code).toBe(0)
    expect((await runCli(['init', join(dir, 'e.xlsx'), '--force', '--sample'])).code).toBe(0)
  })

  it('an empty template has every contract table and no problems', async () => {
    const empty = join(dir, 'empty.xlsx')
    expect((await runCli(['init', empty])).code).toBe(0)
    const check = await runCli(['check', empty, '--json'])
    expect(JSON.parse(check.stdout)).toEqual({ ok: true, problems: [] })
  })
})

describe('pm-workbook errors are one clear line and a non-zero exit', () => {
  it.each([
    [['status', 'missing.xlsx'], /does not exist/],
    [['status', 'notes.txt'], /not an \.xlsx/],
    [['status', 'SAMPLE', '--as-of', '2026-02-30'], /YYYY-MM-DD/],
    [['check'], /Usage: pm-workbook check/],
    [['frobnicate'], /Unknown command/],
  ])('%j', async (args, message) => {
    writeFileSync(join(dir, 'notes.txt'), 'hello')
    const result = await runCli(args.map((a) => (a === 'SAMPLE' ? sample : a)), { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('a file that is not a workbook is unreadable (exit 2), not a crash', async () => {
    const fake = join(dir, 'fake.xlsx')
    writeFileSync(fake, 'not a zip')
    const result = await runCli(['check', fake])
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('the installed bin', () => {
  it('runs the TypeScript CLI through node, as `npx pm-workbook` does', async () => {
    const file = join(dir, 'bin.xlsx')
    await run(process.execPath, [BIN, 'init', file, '--sample', '--as-of', '2026-11-24'])
    expect(existsSync(file)).toBe(true)
    const { stdout } = await run(process.execPath, [BIN, 'status', file, '--as-of', '2026-11-24', '--json'])
    expect((JSON.parse(stdout) as { asOf: string }).asOf).toBe('2026-11-24')
  })

  it('exits non-zero with one line for a bad argument', async () => {
    const failure = await run(process.execPath, [BIN, 'status', join(dir, 'nope.xlsx')]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1)
  })
})
