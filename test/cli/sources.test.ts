import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src/server/server.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { runCli } from './run-cli.ts'

/** Every way to name a workbook gives the same answer as the file itself. */
let dir: string
let workbook: string
let server: RunningServer
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pmw-sources-'))
  workbook = join(dir, 'plan.xlsx')
  await writeSampleWorkbook(workbook, '2026-11-24' as Parameters<typeof writeSampleWorkbook>[1])
  server = await startServer({ workbook, port: 0 })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const status = async (source: string, env: Record<string, string> = {}) => {
  const run = await runCli(['status', source, '--as-of', '2026-11-24', '--json'], { env })
  expect(run.stderr).toBe('')
  return JSON.parse(run.stdout) as unknown
}

describe('SOURCE forms', () => {
  it('the three drive item address forms (api/driveitem-get.md) read the same as the file', async () => {
    const fromFile = await status(workbook)
    const id = server.driveItemId
    for (const itemPath of [`/me/drive/items/${id}`, `/drives/local/items/${id}`, `/sites/district-site/drive/items/${id}`]) {
      expect(await status(`${server.graphBaseUrl}${itemPath}`), itemPath).toEqual(fromFile)
    }
  })

  it('a sharing link resolves through /shares/{encoded}/driveItem (api/shares-get.md)', async () => {
    const item = (await (await fetch(server.driveItemUrl)).json()) as { webUrl: string }
    expect(await status(item.webUrl, { PMW_GRAPH_BASE_URL: server.graphBaseUrl })).toEqual(await status(workbook))
  })

  it('a Graph URL that is not a drive item is one clear line, exit 2', async () => {
    const run = await runCli(['status', `${server.graphBaseUrl}/me/drive/root:/plan.xlsx`])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/drive item/)
  })

  it('an unknown drive item is reported, not shown as an empty plan', async () => {
    const run = await runCli(['status', `${server.graphBaseUrl}/me/drive/items/NOPE`])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/not found|could not/i)
  })
})
