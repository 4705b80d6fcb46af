import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { inflateRawSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { writeSampleWorkbook } from '../../src/sample/write.ts'
import { startServer } from '../../src/server/server.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import { updateTableRow } from '../../src/workbook/file/tables.ts'
import { noteRowUpdate } from '../../src/workbook/file/patch/model-save.ts'
import { openWorkbookHost } from '../../src/server/persistence/workbook-host.ts'
import { describeError } from '../../src/messages/errors.ts'
import { rewriteParts } from '../workbook/file/xlsx-rewrite.ts'
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

function unzipPart(zip: Buffer, name: string): string {
  const stored = storedPart(zip, name)
  return stored ? inflateRawSync(stored).toString('latin1') : ''
}

function storedPart(zip: Buffer, name: string): Buffer | null {
  const listed = zipParts(zip)
  const part = listed.ok ? listed.value.find((p) => p.name === name) : undefined
  return part ? partData(zip, part) : null
}

describe('the local server saves a write by editing the file', () => {
  it('leaves the file reading exactly as the workbook in memory after each of 20 random writes, most of them saved in place', async () => {
    const path = join(dir, 'served.xlsx')
    await writeSampleWorkbook(path, '2026-12-07' as IsoDate)
    const saves = { edited: 0, whole: 0 }
    const server = await startServer({ workbook: path, clock: () => new Date('2026-12-07T10:00:00Z').getTime(), onSave: (stage, how) => void (stage === 'renamed' && (saves[how] += 1)) })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const graph = openGraphStore({ location: location.value, tokens: noToken })
    const file = openFileStore(path)
    try {
      for (const write of await writesFor(graph, 21, 20)) {
        await write.run(graph)
        expect(await tablesOf(file), write.describe).toEqual(await tablesOf(graph))
      }
      expect(saves.edited + saves.whole).toBeGreaterThan(10)
      expect(saves.edited).toBeGreaterThan(saves.whole)
    } finally {
      await graph.close()
      await server.close()
    }
  })

  it('writes the whole workbook on every save when told not to edit in place (the bench baseline), with the same file as a result', async () => {
    const path = join(dir, 'whole.xlsx')
    await writeSampleWorkbook(path, '2026-12-07' as IsoDate)
    const saves: string[] = []
    const opened = await openWorkbookHost(path, { onSave: (stage, how) => void (stage === 'renamed' && saves.push(how)) }, { editInPlace: false })
    if (!opened.ok) throw new Error(describeError(opened.error))
    const host = opened.value
    expect(updateTableRow(host.current(), 'People', 0, ['whole@district.org', 'Whole Save', null, null])).toEqual({ ok: true, value: undefined })
    noteRowUpdate(host.changes(), 'People', 0, [0, 1])
    await host.save()
    expect(saves).toEqual(['whole'])
    const people = await openFileStore(path).read(['People'])
    expect(people.ok ? people.value.tables.People?.rows[0]?.slice(0, 2) : people.error).toEqual(['whole@district.org', 'Whole Save'])
  })

  it('writes rows the file lacks (blank table rows) in order, whichever order the group wrote them in', async () => {
    const path = join(dir, 'blank-rows.xlsx')
    await writeSampleWorkbook(path, '2026-12-07' as IsoDate)
    // People's 3rd and 4th data rows (sheet rows 4 and 5) made blank: the file has no <row> for them.
    await writeFile(path, rewriteParts(await readFile(path), (name, text) => (name === 'xl/worksheets/sheet6.xml' ? text.replace(/<row r="[45]"[^>]*>.*?<\/row>/g, '') : text)))
    const saves: string[] = []
    const opened = await openWorkbookHost(path, { onSave: (stage, how) => void (stage === 'renamed' && saves.push(how)) })
    if (!opened.ok) throw new Error(describeError(opened.error))
    const host = opened.value
    for (const [index, email] of [[3, 'later@district.org'], [2, 'earlier@district.org']] as const) {
      expect(updateTableRow(host.current(), 'People', index, [email, 'Written', null, null])).toEqual({ ok: true, value: undefined })
      noteRowUpdate(host.changes(), 'People', index, [0, 1])
    }
    await host.save()
    const after = await readFile(path)
    expect(saves).toEqual(['edited'])
    const people = await openFileStore(path).read(['People'])
    const rows = people.ok ? (people.value.tables.People?.rows ?? []) : []
    expect([rows[2]?.[0], rows[3]?.[0]]).toEqual(['earlier@district.org', 'later@district.org'])
    const numbers = [...(unzipPart(after, 'xl/worksheets/sheet6.xml').matchAll(/<row r="(\d+)"/g))].map((m) => Number(m[1]))
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
  })
})
