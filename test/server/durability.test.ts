import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsOnDisk, writeSampleWorkbook } from './harness.ts'

/** A write is acknowledged only once it is saved atomically: SIGKILL at any moment loses no acknowledged write. */

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-kill-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const repoRoot = resolve(import.meta.dirname, '../..')

describe('durability', () => {
  it('keeps every acknowledged write, in a valid workbook, when the server is killed with SIGKILL mid-burst', async () => {
    const workbook = join(dir, 'plan.xlsx')
    await writeSampleWorkbook(workbook)
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/server/serve-child.ts'), workbook], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<void>((done) => child.once('exit', () => done()))
    const firstLine = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout }).once('line', done)
      child.once('exit', () => fail(new Error('server exited before it started')))
    })
    const { graphBaseUrl, driveItemId } = JSON.parse(firstLine) as { graphBaseUrl: string; driveItemId: string }
    const wb = `${graphBaseUrl}/me/drive/items/${driveItemId}/workbook`
    const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    const row = (id: string) => [id, 'W-1', '2025-02-01', 1]

    const acknowledged: string[] = []
    let killed = false
    const writes = Array.from({ length: 40 }, async (_, i) => {
      try {
        if (i % 5 === 4) {
          // A batch of two dependent adds: acknowledged when both sub-requests succeeded.
          const headers = { 'Content-Type': 'application/json' }
          const res = await post(`${graphBaseUrl}/$batch`, {
            requests: [
              { id: '1', method: 'POST', url: `/me/drive/items/${driveItemId}/workbook/tables/CheckIns/rows/add`, headers, body: { values: [row(`K-${i}a`)] } },
              { id: '2', method: 'POST', url: `/me/drive/items/${driveItemId}/workbook/tables/CheckIns/rows/add`, headers, body: { values: [row(`K-${i}b`)] }, dependsOn: ['1'] },
            ],
          })
          const body = (await res.json()) as { responses: { status: number }[] }
          if (res.status === 200 && body.responses.every((r) => r.status === 200)) acknowledged.push(`K-${i}a`, `K-${i}b`)
        } else {
          const res = await post(`${wb}/tables/CheckIns/rows/add`, { values: [row(`K-${i}`)] })
          if (res.status === 200) acknowledged.push(`K-${i}`)
        }
      } catch {
        // The connection died with the server: not acknowledged.
      }
      if (!killed && acknowledged.length >= 8) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    await Promise.all(writes)
    if (!killed) child.kill('SIGKILL')
    await exited

    expect(killed).toBe(true)
    expect(acknowledged.length).toBeGreaterThanOrEqual(8)
    expect(acknowledged.length).toBeLessThan(48)
    await new ExcelJS.Workbook().xlsx.readFile(workbook)
    const ids = (await rowsOnDisk(workbook, 'CheckIns')).map((r) => r[0])
    for (const id of acknowledged) expect(ids, id).toContain(id)
    expect(ids[0]).toBe('C-1')
  })
})
