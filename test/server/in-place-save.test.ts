import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer } from '../../src/server/server.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { partData, zipParts } from '../../src/workbook/file/zip-size.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import { tablesOf, writesFor } from '../workbook/file/random-writes.ts'

/**
 * Issue 14's server writes: a save writes into the file only the cells the writes since the last
 * save changed (patch/model-save.ts), taking them from memory, and copies every other part. The
 * file must then read exactly as memory does, after every write, whichever way each save went.
 */

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-in-place-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function storedPart(zip: Buffer, name: string): Buffer | null {
  const listed = zipParts(zip)
  const part = listed.ok ? listed.value.find((p) => p.name === name) : undefined
  return part ? partData(zip, part) : null
}

describe('the local server saves a write by editing the file', () => {
  it('leaves the file reading exactly as the workbook in memory after each of 20 random writes, most of them saved in place', async () => {
    const path = join(dir, 'served.xlsx')
    await writeSampleWorkbook(path, '2026-12-07' as IsoDate)
    const server = await startServer({ workbook: path, clock: () => new Date('2026-12-07T10:00:00Z').getTime() })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const graph = openGraphStore({ location: location.value, tokens: noToken })
    const file = openFileStore(path)
    try {
      let changed = 0
      let inPlace = 0
      for (const write of await writesFor(graph, 21, 20)) {
        const before = await readFile(path)
        await write.run(graph)
        const after = await readFile(path)
        expect(await tablesOf(file), write.describe).toEqual(await tablesOf(graph))
        if (after.equals(before)) continue
        changed += 1
        // exceljs writes its own styles part; an edit copies the file's.
        if (storedPart(after, 'xl/styles.xml')?.equals(storedPart(before, 'xl/styles.xml') ?? Buffer.alloc(0))) inPlace += 1
      }
      expect(changed).toBeGreaterThan(10)
      expect(inPlace).toBeGreaterThan(changed / 2)
    } finally {
      await graph.close()
      await server.close()
    }
  })
})
