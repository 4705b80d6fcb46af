import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.ts'

/** Ids typed on the command line go through the domain's validators before any workbook is opened. */
describe('ids on the command line', () => {
  it('refuses a step id with a control character in one line, before opening the workbook', async () => {
    const result = await runCli(['step', 'missing.xlsx', 'ST-1\u0007', '--status', 'Done', '--by', 'ana@district.org'])
    expect(result.code).not.toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('STEP-ID: "ST-1\\u0007" is not a step id: it contains the control character U+0007 at character 5.\n')
  })

  it('refuses an overlong WIG id and measure id for a check-in', async () => {
    const wig = await runCli(['checkin', 'missing.xlsx', 'W'.repeat(101), '3', '--by', 'ana@district.org'])
    expect(wig.stderr).toMatch(/^WIG-ID: "W{40}…" is not a WIG id: it is 101 characters long, more than the 100 allowed\.\n$/)
    const measure = await runCli(['checkin', 'missing.xlsx', 'W-1', '3', '--measure', ' ', '--by', 'ana@district.org'])
    expect(measure.stderr).toBe('--measure: Give a measure id; it was blank.\n')
  })

  it('refuses a --by that is not an email address', async () => {
    const result = await runCli(['checkin', 'missing.xlsx', 'W-1', '3', '--by', 'ana'])
    expect(result.stderr).toBe('--by must be an email address; got "ana".\n')
  })
})
