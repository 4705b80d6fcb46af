import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { graphRange, ODD_AS_OF, ODD_EXPECTED, ODD_PROBLEMS, ODD_TABLES, writeFixtureWorkbook } from '../fixtures/odd-workbook.ts'
import { startGraphStub, type GraphStub } from '../fixtures/graph-stub.ts'
import { runCli } from './run-cli.ts'

type StatusJson = {
  asOf: string
  wigs: { id: string; status: string; computedStatus: string; manual: boolean; stale: boolean; steps: { total: number; done: number; overdue: number; dueSoon: number } }[]
  problems: { table: string; row: number | null; column: string | null; cell: string | null; key: string | null; message: string }[]
}

let dir: string
let file: string
let stub: GraphStub

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-odd-'))
  file = join(dir, 'odd.xlsx')
  await writeFixtureWorkbook(file)
  stub = await startGraphStub('ODD-ITEM', Object.fromEntries(ODD_TABLES.map((t) => [t.name, graphRange(t)])))
})
afterAll(async () => {
  await stub.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('a workbook laid out unlike the sample', () => {
  it('gives every WIG the status worked out by hand from the contract', async () => {
    const run = await runCli(['status', file, '--as-of', ODD_AS_OF, '--json'])
    expect(run.stderr).toBe('')
    const report = JSON.parse(run.stdout) as StatusJson
    expect(report.asOf).toBe(ODD_AS_OF)
    for (const [id, expected] of Object.entries(ODD_EXPECTED)) {
      const wig = report.wigs.find((w) => w.id === id)
      expect(wig, id).toMatchObject({
        status: expected.status,
        computedStatus: expected.computedStatus ?? expected.status,
        manual: expected.manual ?? false,
        ...(expected.stale !== undefined ? { stale: expected.stale } : {}),
      })
    }
    expect(report.wigs.find((w) => w.id === 'W3')?.steps).toEqual({ total: 4, done: 1, overdue: 1, dueSoon: 1 })
  })

  it('reports each bad cell with its table, column and key, and still reads the rest', async () => {
    const run = await runCli(['status', file, '--as-of', ODD_AS_OF, '--json'])
    const { problems, wigs } = JSON.parse(run.stdout) as StatusJson
    for (const expected of ODD_PROBLEMS) {
      expect(problems, JSON.stringify(expected)).toContainEqual(expect.objectContaining(expected))
    }
    expect(problems.find((p) => p.key === 'W10' && p.column === 'TargetDate')?.cell).toBe('Goals!M15')
    expect(wigs).toHaveLength(10)
  })

  it('`check` exits 1 and prints every problem with its place', async () => {
    const run = await runCli(['check', file])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('Goals!M15')
    expect(run.stdout).toContain('Waiting on vendor')
  })

  it('reads the same through a drive item URL on an independent Graph stand-in, in exactly one HTTP request', async () => {
    const fromFile = await runCli(['status', file, '--as-of', ODD_AS_OF, '--json'])
    stub.requests.length = 0
    const fromGraph = await runCli(['status', `${stub.baseUrl}/me/drive/items/ODD-ITEM`, '--as-of', ODD_AS_OF, '--json'])
    expect(fromGraph.stderr).toBe('')
    expect(JSON.parse(fromGraph.stdout)).toEqual(JSON.parse(fromFile.stdout))
    expect(stub.requests).toEqual([{ method: 'POST', url: '/v1.0/$batch' }])
  })
})
