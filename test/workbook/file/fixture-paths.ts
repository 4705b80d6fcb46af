import { afterEach } from 'vitest'
import type { Audit } from '../../../src/workbook/store.ts'
import { createContractWorkbook } from '../../fixtures/contract-workbook.ts'

/** A fresh contract workbook per call, removed after the test that asked for it. */
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

export async function fixturePath(): Promise<string> {
  const fixture = await createContractWorkbook()
  cleanups.push(fixture.remove)
  return fixture.path
}

export const audit = (changeId: string, at = '2025-02-03T09:30:00Z'): Audit => ({ changeId, at, by: 'ben@district.org', source: 'test' })
