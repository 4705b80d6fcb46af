import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOnDisk, writeSampleWorkbook } from './harness.ts'

/**
 * A write is acknowledged only once it is saved atomically, so a crash at any point of a save
 * loses no acknowledged write and leaves a workbook that opens. The server kills itself with
 * SIGKILL at a chosen point of a chosen save (serve-child.ts), and the writes are sent one after
 * another, so which writes were acknowledged is known exactly: no timing decides the outcome.
 */

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-kill-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const repoRoot = resolve(import.meta.dirname, '../..')
const CRASH_ON_SAVE = 4

async function serveUntilCrash(workbook: string, crashAt: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/server/serve-child.ts'), workbook, crashAt], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_, signal) => done(signal)))
  const firstLine = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout }).once('line', done)
    child.once('exit', () => fail(new Error('server exited before it started')))
  })
  const { graphBaseUrl, driveItemId } = JSON.parse(firstLine) as { graphBaseUrl: string; driveItemId: string }
  return { graphBaseUrl, driveItemId, exited }
}

/** Write i adds one CheckIns row; every third write is a `$batch` of two dependent adds (one save). */
async function write(graphBaseUrl: string, driveItemId: string, i: number): Promise<string[] | null> {
  const add = `/me/drive/items/${driveItemId}/workbook/tables/CheckIns/rows/add`
  const row = (id: string) => [id, 'W-1', '2025-02-01', 1]
  const headers = { 'Content-Type': 'application/json' }
  try {
    if (i % 3 === 2) {
      const res = await fetch(`${graphBaseUrl}/$batch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          requests: [
            { id: '1', method: 'POST', url: add, headers, body: { values: [row(`K-${i}a`)] } },
            { id: '2', method: 'POST', url: add, headers, body: { values: [row(`K-${i}b`)] }, dependsOn: ['1'] },
          ],
        }),
      })
      const body = (await res.json()) as { responses: { status: number }[] }
      return res.status === 200 && body.responses.every((r) => r.status === 200) ? [`K-${i}a`, `K-${i}b`] : null
    }
    const res = await fetch(`${graphBaseUrl}${add}`, { method: 'POST', headers, body: JSON.stringify({ values: [row(`K-${i}`)] }) })
    return res.status === 200 ? [`K-${i}`] : null
  } catch {
    // The connection died with the server: not acknowledged.
    return null
  }
}

describe('durability', () => {
  it.each([
    { stage: 'written', landed: false, what: 'the new copy is written but not yet in place' },
    { stage: 'renamed', landed: true, what: 'the new copy is in place but the answer is not yet sent' },
  ])('keeps every acknowledged write, in a workbook that opens, when the server is SIGKILLed where $what', async ({ stage, landed }) => {
    const workbook = join(dir, `plan-${stage}.xlsx`)
    await writeSampleWorkbook(workbook)
    const server = await serveUntilCrash(workbook, `${stage}:${CRASH_ON_SAVE}`)

    const acknowledged: string[] = []
    const unanswered: number[] = []
    for (let i = 1; i <= CRASH_ON_SAVE + 1; i += 1) {
      const ids = await write(server.graphBaseUrl, server.driveItemId, i)
      if (ids) acknowledged.push(...ids)
      else unanswered.push(i)
    }
    expect(await server.exited).toBe('SIGKILL')

    // Saves 1..N-1 were answered; the Nth write died with the server, and so did anything after it.
    expect(unanswered).toEqual([CRASH_ON_SAVE, CRASH_ON_SAVE + 1])
    expect(acknowledged).toEqual(['K-1', 'K-2a', 'K-2b', 'K-3'])
    await new ExcelJS.Workbook().xlsx.readFile(workbook)
    const ids = (await rowsOnDisk(workbook, 'CheckIns')).map((r) => r[0])
    for (const id of acknowledged) expect(ids, id).toContain(id)
    // Killed before the rename, the old file stands; after it, the unanswered write is on disk
    // (a client must read its ChangeId back before sending it again).
    expect(ids.includes(`K-${CRASH_ON_SAVE}`)).toBe(landed)
    expect(ids).not.toContain(`K-${CRASH_ON_SAVE + 1}`)
    expect(ids[0]).toBe('C-1')
  })
})
