import { existsSync, mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { IsoDate } from '../src/domain/dates.ts'
import { writeScaledSampleWorkbook, type ScaledSize } from '../src/sample/scale.ts'
import { writeSampleWorkbook } from '../src/sample/write.ts'

/**
 * The three district sizes issue 14 measures at, shared by `npm run bench` and `npm run drill`:
 * S is the sample district itself; M and L grow it (src/sample/scale.ts).
 */
export type SizeName = 'S' | 'M' | 'L'

export const SIZES: Record<SizeName, { label: string; size: ScaledSize | null }> = {
  S: { label: 'the sample district', size: null },
  M: { label: '200 WIGs, 5,000 action steps, 20,000 check-ins', size: { wigs: 200, steps: 5_000, checkIns: 20_000 } },
  L: { label: '1,000 WIGs, 25,000 action steps, 100,000 check-ins', size: { wigs: 1_000, steps: 25_000, checkIns: 100_000 } },
}

/**
 * The workbook of one size as of `asOf`, generated once into `cacheDir` and reused (L takes
 * tens of seconds to write): callers that write to it copy it first.
 */
export async function sizedWorkbook(name: SizeName, asOf: IsoDate, cacheDir: string): Promise<string> {
  mkdirSync(cacheDir, { recursive: true })
  const path = join(cacheDir, `${name}-${asOf}.xlsx`)
  if (existsSync(path)) return path
  // Written aside and renamed, so an interrupted run never leaves a half workbook to reuse.
  const partial = `${path}.partial`
  const size = SIZES[name].size
  if (size === null) await writeSampleWorkbook(partial, asOf)
  else await writeScaledSampleWorkbook(partial, asOf, size)
  renameSync(partial, path)
  return path
}

/** Where bench and drill keep generated workbooks between runs (git-ignored with node_modules). */
export const BENCH_CACHE = join(import.meta.dirname, '..', 'node_modules', '.cache', 'pm-workbook-bench')
