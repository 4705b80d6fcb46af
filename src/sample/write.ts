import type { IsoDate } from '../domain/dates.ts'
import { writeTablesWorkbook } from '../workbook/file/template.ts'
import { sampleDistrict } from './district.ts'

/** Writes the Riverbend sample district, laid out around `asOf`, to `path`, replacing any file there. */
export async function writeSampleWorkbook(path: string, asOf: IsoDate): Promise<void> {
  await writeTablesWorkbook(path, sampleDistrict(asOf).tables)
}
