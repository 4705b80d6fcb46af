import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlan } from '../../src/app/load-plan.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { startServer } from '../../src/server/server.ts'
import { runCli } from './run-cli.ts'
import { describeError } from '../../src/messages/errors.ts'

const BY = 'priya.ramanathan@riverbend.example'

async function stepsOf(file: string) {
  const store = openFileStore(file)
  const loaded = await loadPlan(store, ['WIGs', 'ActionSteps', 'ChangeLog'])
  await store.close()
  if (!loaded.ok) throw new Error(describeError(loaded.error))
  return loaded.value
}

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-writes-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function freshSample(name: string): Promise<{ file: string; openStepIds: string[] }> {
  const file = join(dir, name)
  expect((await runCli(['init', file, '--sample', '--as-of', '2026-11-24'])).code).toBe(0)
  const { plan } = await stepsOf(file)
  const openStepIds = plan.steps.filter((s) => s.id && s.status !== 'Done' && s.status !== 'Cancelled').map((s) => s.id ?? '')
  return { file, openStepIds }
}

describe('pm-workbook step and checkin on a file', () => {
  it('updates a step and logs one ChangeLog row per changed cell', async () => {
    const { file, openStepIds } = await freshSample('file-step.xlsx')
    const id = openStepIds[0] ?? ''
    const result = await runCli(['step', file, id, '--status', 'Done', '--percent', '100', '--by', BY])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const { plan, raw } = await stepsOf(file)
    expect(plan.steps.find((s) => s.id === id)).toMatchObject({ status: 'Done', percentComplete: 100 })
    const log = raw.tables.ChangeLog
    expect(log?.rows.filter((r) => r.includes(id)).length).toBeGreaterThanOrEqual(2)
  })

  it('refuses an unknown status or an unknown step with nothing written', async () => {
    const { file, openStepIds } = await freshSample('file-bad.xlsx')
    const before = await stepsOf(file)
    const badStatus = await runCli(['step', file, openStepIds[0] ?? '', '--status', 'Finished-ish', '--by', BY])
    expect(badStatus.code).toBe(2)
    expect(badStatus.stderr).toMatch(/--status must be one of/)
    const unknown = await runCli(['step', file, 'S-NOPE', '--status', 'Done', '--by', BY])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr.trim()).toBe('No row of ActionSteps has StepId S-NOPE; nothing was written.')
    const after = await stepsOf(file)
    expect(after.raw.tables.ChangeLog?.rows.length).toBe(before.raw.tables.ChangeLog?.rows.length)
    expect(after.plan.steps).toEqual(before.plan.steps)
  })

  it('refuses text a workbook cannot hold in one line that names the cell and the character, exit 1, nothing written', async () => {
    const { file, openStepIds } = await freshSample('file-bad-cell.xlsx')
    const id = openStepIds[0] ?? ''
    const before = await stepsOf(file)
    const result = await runCli(['step', file, id, '--note', 'beep\u0007', '--by', BY])
    expect(result.code).toBe(1)
    expect(result.stderr.trim()).toMatch(new RegExp(`^Cannot save the Notes of ActionSteps "${id}": the text contains the control character U\\+0007 at character \\d+, which an Excel workbook cannot store .*Nothing was written\\.$`))
    const after = await stepsOf(file)
    expect(after.raw.tables.ChangeLog?.rows.length).toBe(before.raw.tables.ChangeLog?.rows.length)
  })

  it('appends a check-in with its ChangeLog rows and refuses an unknown WIG', async () => {
    const { file } = await freshSample('file-checkin.xlsx')
    const { plan } = await stepsOf(file)
    const wigId = plan.wigs[0]?.id ?? ''
    const added = await runCli(['checkin', file, wigId, '42.5', '--date', '2026-11-20', '--note', '=HYPERLINK("http://x")', '--by', BY])
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    const store = openFileStore(file)
    const loaded = await loadPlan(store, ['CheckIns'])
    await store.close()
    if (!loaded.ok) throw new Error(describeError(loaded.error))
    const id = /check-in (\S+):/.exec(added.stdout)?.[1]
    const mine = loaded.value.plan.checkIns.filter((c) => c.id === id)
    expect(mine).toEqual([expect.objectContaining({ wigId, date: '2026-11-20', value: 42.5, note: '=HYPERLINK("http://x")' })])
    const unknown = await runCli(['checkin', file, 'W-NOPE', '1', '--by', BY])
    expect(unknown.code).toBe(1)
  })
})

// The same CLI code, in process, against the local server in process: the concurrency under test
// is at the server (one queue, saves before answers), not in process start-up. SIGKILL mid-burst
// is test/server/durability.test.ts; the real bin is run in test/cli/cli.test.ts.
describe('pm-workbook step through the local server', () => {
  it('20 concurrent updates of different steps all land on disk, each with its ChangeLog rows', async () => {
    const { file, openStepIds } = await freshSample('concurrent.xlsx')
    const server = await startServer({ workbook: file })
    const ids = openStepIds.slice(0, 20)
    try {
      const results = await Promise.all(ids.map((id) => runCli(['step', server.driveItemUrl, id, '--status', 'Done', '--by', BY])))
      expect(results.map((r) => [r.code, r.stderr])).toEqual(ids.map(() => [0, '']))
    } finally {
      await server.close()
    }
    const { plan, raw } = await stepsOf(file)
    for (const id of ids) expect(plan.steps.find((s) => s.id === id)?.status, id).toBe('Done')
    const logKeys = new Set(raw.tables.ChangeLog?.rows.map((r) => String(r[4] ?? '')))
    for (const id of ids) expect(logKeys.has(id), id).toBe(true)
  })
})
