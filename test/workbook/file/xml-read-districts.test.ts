import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IsoDate } from '../../../src/domain/dates.ts'
import { writeScaledSampleWorkbook } from '../../../src/sample/scale.ts'
import { writeSampleWorkbook } from '../../../src/sample/write.ts'
import { expectSame } from './xml-read-compare.ts'

/**
 * Issue 14 item 2, on the workbooks the product itself writes: the sample district and a
 * (small) scaled one read the same through the direct reader as through exceljs. Apart from
 * xml-read.test.ts because writing them is most of the time either takes.
 */

const AS_OF = '2026-12-07' as IsoDate

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmw-xml-districts-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function written(name: string, write: (path: string) => Promise<unknown>): Promise<Buffer> {
  const path = join(dir, name)
  await write(path)
  return readFile(path)
}

describe('the direct reader gives exactly what exceljs gives', () => {
  it('for the sample district, every table', async () => {
    const direct = await expectSame(await written('sample.xlsx', (path) => writeSampleWorkbook(path, AS_OF)))
    expect(direct.tables.ActionSteps?.rows.length).toBeGreaterThan(50)
  })

  it('for a scaled district', async () => {
    await expectSame(await written('scaled.xlsx', (path) => writeScaledSampleWorkbook(path, AS_OF, { wigs: 20, steps: 240, checkIns: 480 })))
  })
})
