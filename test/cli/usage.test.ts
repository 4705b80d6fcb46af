import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { COMMAND_NAMES, commandUsage } from '../../src/cli/main.ts'
import { runCli } from './run-cli.ts'

const root = resolve(import.meta.dirname, '../..')
const commandFiles = readdirSync(join(root, 'src/cli/commands'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))

describe('help and --version', () => {
  it('`help` lists every command there is, with its usage, and exits 0', async () => {
    const help = await runCli(['help'])
    expect(help.code).toBe(0)
    expect([...COMMAND_NAMES].sort()).toEqual([...commandFiles].sort())
    for (const name of COMMAND_NAMES) expect(help.stdout).toContain(commandUsage(name))
  })

  it('`--version` prints the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const result = await runCli(['--version'])
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('`help steps` and `steps --help` show that one command', async () => {
    for (const args of [['help', 'steps'], ['steps', '--help']]) {
      const result = await runCli(args)
      expect(result.code).toBe(0)
      expect(result.stdout).toContain(commandUsage('steps'))
      expect(result.stdout).not.toContain('pm-workbook checkin')
    }
  })

  it('no command prints the help and exits 2', async () => {
    const result = await runCli([])
    expect(result.code).toBe(2)
    expect(result.stdout).toContain('pm-workbook steps SOURCE')
  })
})

describe('a mistake is one line that names it', () => {
  it.each(COMMAND_NAMES)('%s: an unknown option is named, with the usage `help` shows', async (name) => {
    const result = await runCli([name, '--no-such-option'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`Unknown option --no-such-option for pm-workbook ${name}. Usage: ${commandUsage(name)}\n`)
  })

  it('a misspelt option names itself and the option it is close to', async () => {
    const result = await runCli(['step', 'plan.xlsx', 'ST-0041', '--stauts', 'Done', '--by', 'a@b.example'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^Unknown option --stauts for pm-workbook step\. Did you mean --status\? Usage: pm-workbook step SOURCE STEP-ID/)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it.each([
    [['stauts', 'plan.xlsx'], 'Unknown command "stauts". Did you mean "status"? Run `pm-workbook help` for the list.'],
    [['frobnicate'], 'Unknown command "frobnicate". Run `pm-workbook help` for the list.'],
    [['--verbose'], 'Unknown option --verbose. Run `pm-workbook help` for the list.'],
    [['help', 'frobnicate'], 'Unknown command "frobnicate". Run `pm-workbook help` for the list.'],
  ])('%j', async (args, line) => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toBe(`${line}\n`)
  })

  it.each([
    [['status', 'plan.xlsx', '--as-of'], /^--as-of needs a value\. Usage: pm-workbook status /],
    [['status', 'plan.xlsx', '--json=yes'], /^--json takes no value\. Usage: pm-workbook status /],
    [['wig', 'plan.xlsx'], /^pm-workbook wig needs WIG-ID\. Usage: pm-workbook wig /],
    [['checkin', 'plan.xlsx'], /^pm-workbook checkin needs WIG-ID VALUE\. Usage: /],
    [['check', 'a.xlsx', 'b.xlsx'], /^Unexpected argument "b\.xlsx" for pm-workbook check\. Usage: /],
  ])('%j', async (args, message) => {
    const result = await runCli(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('a negative number is a value, not an option', async () => {
    // Parsed as the VALUE argument: the command gets as far as opening the (missing) workbook.
    const result = await runCli(['checkin', 'missing.xlsx', 'WIG-04', '-3', '--by', 'a@b.example'])
    expect(result.stderr).not.toMatch(/Unknown option/)
    expect(result.stderr).toMatch(/missing\.xlsx/)
  })
})
