import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WIG_STATUSES } from '../../src/domain/model.ts'
import { builtCli, plainEnv } from './built-cli.ts'
import { runCli } from './run-cli.ts'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '../..')

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

describe('the installed bin: built JavaScript run by plain node', () => {
  let bin: string
  beforeAll(async () => {
    bin = await builtCli()
  })

  it('package.json points its bin at dist/cli.mjs, and tsx is only a dev dependency', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> }
    expect(resolve(root, pkg.bin['pm-workbook'] ?? '')).toBe(bin)
    expect(pkg.dependencies).not.toHaveProperty('tsx')
    expect(pkg.devDependencies).toHaveProperty('tsx')
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('`help` runs with plain node, no TypeScript loader, and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, 'help'], { env: plainEnv() })
    for (const command of ['init', 'check', 'status', 'wig', 'steps', 'step', 'checkin', 'serve']) expect(stdout).toContain(`pm-workbook ${command} `)
  })

  it('`help` loads no command: exceljs, the Graph client and the server are imported only by the command that runs', () => {
    // The modules dist/cli.mjs imports statically, followed through the bundle's own chunks.
    const seen = new Set<string>()
    const bare = new Set<string>()
    const visit = (file: string): void => {
      if (seen.has(file)) return
      seen.add(file)
      for (const m of readFileSync(file, 'utf8').matchAll(/^import\s(?:[^'"]*?\sfrom\s)?["']([^"']+)["']/gm)) {
        const spec = m[1] ?? ''
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec))
        else bare.add(spec)
      }
    }
    visit(bin)
    expect([...bare].filter((m) => !m.startsWith('node:'))).toEqual([])
    expect(seen.size).toBeLessThanOrEqual(3)
  })

  it('runs a command end to end: init then status --json', async () => {
    const file = join(dir, 'bin.xlsx')
    await run(process.execPath, [bin, 'init', file, '--sample', '--as-of', '2026-11-24'], { env: plainEnv() })
    expect(existsSync(file)).toBe(true)
    const { stdout } = await run(process.execPath, [bin, 'status', file, '--as-of', '2026-11-24', '--json'], { env: plainEnv() })
    expect((JSON.parse(stdout) as { asOf: string }).asOf).toBe('2026-11-24')
  })

  it('exits non-zero with one line for a bad argument', async () => {
    const failure = await run(process.execPath, [bin, 'status', join(dir, 'nope.xlsx')], { env: plainEnv() }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(2)
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const { stdout } = await run(process.execPath, [bin, '--version'], { env: plainEnv() })
    expect(stdout.trim()).toBe(pkg.version)
  })
})
