import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadPlan } from '../../../src/app/load-plan.ts'
import { withFileLock, WorkbookBusy } from '../../../src/workbook/file/file-lock.ts'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { startServer } from '../../../src/server/server.ts'
import { writeSampleWorkbook } from '../../../src/sample/write.ts'
import type { IsoDate } from '../../../src/domain/dates.ts'

const BIN = resolve(import.meta.dirname, '../../../bin/pm-workbook.mjs')
const BY = 'priya.ramanathan@riverbend.example'
const cli = (args: string[]) =>
  new Promise<number>((done) => execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (error) => done(error ? Number(error.code ?? 1) : 0)))

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-lock-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function sample(name: string): Promise<{ file: string; open: string[] }> {
  const file = join(dir, name)
  await writeSampleWorkbook(file, '2026-11-24' as IsoDate)
  const store = openFileStore(file)
  const loaded = await loadPlan(store, ['ActionSteps'])
  if (!loaded.ok) throw new Error(loaded.error.message)
  return { file, open: loaded.value.plan.steps.filter((s) => s.status !== 'Done' && s.status !== 'Cancelled').map((s) => s.id ?? '') }
}

async function statuses(file: string): Promise<Map<string, string | null>> {
  const loaded = await loadPlan(openFileStore(file), ['ActionSteps'])
  if (!loaded.ok) throw new Error(loaded.error.message)
  return new Map(loaded.value.plan.steps.map((s) => [s.id ?? '', s.status]))
}

describe('writers in different processes take turns on one .xlsx', () => {
  it('concurrent `pm-workbook step` commands on the same file all land (none overwrites another)', async () => {
    const { file, open } = await sample('shared.xlsx')
    const ids = open.slice(0, 8)
    const codes = await Promise.all(ids.map((id) => cli(['step', file, id, '--status', 'Done', '--by', BY])))
    expect(codes).toEqual(ids.map(() => 0))
    const now = await statuses(file)
    for (const id of ids) expect(now.get(id), id).toBe('Done')
    expect(existsSync(`${file}.lock`)).toBe(false)
  }, 120_000)

  it('a write straight to the file while the local server serves it is seen by the server, not overwritten', async () => {
    const { file, open } = await sample('served.xlsx')
    const [direct = '', throughServer = ''] = open
    const server = await startServer({ workbook: file, port: 0 })
    try {
      expect(await cli(['step', file, direct, '--status', 'Blocked', '--by', BY])).toBe(0)
      expect(await cli(['step', server.driveItemUrl, throughServer, '--status', 'Done', '--by', BY])).toBe(0)
    } finally {
      await server.close()
    }
    const now = await statuses(file)
    expect(now.get(direct)).toBe('Blocked')
    expect(now.get(throughServer)).toBe('Done')
  }, 120_000)

  it('takes over a lock left by a process that is gone', async () => {
    const file = join(dir, 'stale.xlsx')
    writeFileSync(`${file}.lock`, `999999999\n${hostname()}\n`)
    await expect(withFileLock(file, async () => 'ran', { waitMs: 1000 })).resolves.toBe('ran')
    expect(existsSync(`${file}.lock`)).toBe(false)
  })

  it('gives up with a clear message while another live process holds the lock', async () => {
    const file = join(dir, 'held.xlsx')
    writeFileSync(`${file}.lock`, `${process.pid}\n${hostname()}\n`)
    await expect(withFileLock(file, async () => 'ran', { waitMs: 100 })).rejects.toThrow(WorkbookBusy)
    rmSync(`${file}.lock`)
  })
})
