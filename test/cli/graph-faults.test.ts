import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Fault, ServerFaults } from '../../src/server/faults.ts'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { runCli } from './run-cli.ts'
import { describeError } from '../../src/messages/errors.ts'

/**
 * Throttling and outages end to end: the CLI's Graph client against the local server with
 * injected faults (concepts/throttling.md: 429 with Retry-After, per sub-request inside a
 * 200 $batch; concepts/errors.md: 503 may carry Retry-After).
 */
let dir: string
let workbook: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-faults-'))
  workbook = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(workbook, '2026-11-24' as Parameters<typeof writeSampleWorkbook>[1])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function withFaults(plan: ServerFaults, work: (server: RunningServer) => Promise<void>): Promise<void> {
  const server = await startServer({ workbook, port: 0, faults: plan })
  try {
    await work(server)
  } finally {
    await server.close()
  }
}

describe('the CLI under throttling and outages', () => {
  it('waits out a 429 with Retry-After: 2 (not less) and then reads the workbook', async () => {
    const seen: { path: string; at: number }[] = []
    const subPaths: string[] = []
    let throttled = false
    const plan: ServerFaults = (request) => {
      if (request.inBatch) subPaths.push(request.path)
      if (!request.inBatch || !request.path.endsWith('/tables/WIGs/dataBodyRange')) return null
      seen.push({ path: request.path, at: Date.now() })
      if (throttled) return null
      throttled = true
      const fault: Fault = { status: 429, retryAfterSeconds: 2 }
      return fault
    }
    await withFaults(plan, async (server) => {
      const run = await runCli(['status', server.driveItemUrl, '--as-of', '2026-11-24', '--json'])
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect((JSON.parse(run.stdout) as { wigs: unknown[] }).wigs.length).toBeGreaterThanOrEqual(15)
    })
    expect(seen).toHaveLength(2)
    // Only the throttled sub-request went again: WIGs' header row was answered the first time
    // (api/table-headerrowrange.md, api/table-databodyrange.md).
    expect(subPaths.filter((p) => p.endsWith('/tables/WIGs/headerRowRange'))).toHaveLength(1)
    const [first, retry] = seen
    expect((retry?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000)
  })

  // concepts/errors.md: 503 on the whole call; concepts/throttling.md: or per sub-request inside a
  // 200 $batch, where status reads 7 tables and the sizes of the 2 that grow = 16 sub-requests per
  // try (4 bounded tries answer 64).
  it.each([
    { where: 'the whole call', inBatch: false, min: 2, max: 8 },
    { where: 'every sub-request', inBatch: true, min: 17, max: 64 },
  ])('a persistent 503 on $where ends in one clear line and exit 2, not a hang', async ({ inBatch, min, max }) => {
    let answered = 0
    const plan: ServerFaults = (request) => {
      if (request.inBatch !== inBatch) return null
      answered += 1
      return { status: 503, retryAfterSeconds: 1 }
    }
    await withFaults(plan, async (server) => {
      const run = await runCli(['status', server.driveItemUrl])
      expect(run.code).toBe(2)
      expect(run.stderr).toMatch(/Microsoft 365|unavailable|try again/i)
      expect(run.stderr.trim().split('\n')).toHaveLength(1)
    })
    expect(answered).toBeGreaterThanOrEqual(min)
    expect(answered).toBeLessThanOrEqual(max)
  })

  it('a step update throttled midway lands exactly once', async () => {
    let faulted = false
    const plan: ServerFaults = (request) => {
      if (faulted || !request.inBatch || !request.path.endsWith('/tables/ChangeLog/rows/add')) return null
      faulted = true
      return { status: 429, retryAfterSeconds: 1 }
    }
    await withFaults(plan, async (server) => {
      const status = await runCli(['status', server.driveItemUrl, '--json'])
      const report = JSON.parse(status.stdout) as { wigs: { id: string }[] }
      expect(report.wigs.length).toBeGreaterThan(0)
      const step = await runCli(['step', server.driveItemUrl, 'ST-0001', '--note', 'Retried once', '--by', 'rafael.duarte@riverbend.example'])
      expect(step.stderr).toBe('')
      expect(step.code).toBe(0)
    })
    expect(faulted).toBe(true)
    const store = openFileStore(workbook)
    const read = await store.read(['ChangeLog'])
    await store.close()
    if (!read.ok) throw new Error(describeError(read.error))
    const log = read.value.tables.ChangeLog
    const keyAt = log?.headers.indexOf('Key') ?? -1
    const columnAt = log?.headers.indexOf('Column') ?? -1
    const columns = (log?.rows ?? []).filter((r) => r[keyAt] === 'ST-0001').map((r) => String(r[columnAt]))
    expect(columns).toContain('Notes')
    expect(new Set(columns).size).toBe(columns.length)
  })
})
