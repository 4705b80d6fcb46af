import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { audit, fixturePath } from './fixture-paths.ts'


describe('the file store', () => {
  it('lands every one of many concurrent writes to the same file', async () => {
    const path = await fixturePath()
    const stores = [openFileStore(path), openFileStore(path)]
    const writes = Array.from({ length: 6 }, (_, i) =>
      (stores[i % 2] ?? stores[0])?.appendRows({ table: 'People', rows: [{ Email: `p${i}@district.org`, Name: `Person ${i}` }], audit: audit(`chg-p${i}`) }),
    )
    const results = await Promise.all(writes)
    expect(results.every((r) => r?.ok)).toBe(true)
    const read = await openFileStore(path).read(['People'])
    const emails = read.ok ? (read.value.tables.People?.rows.map((r) => r[0]) ?? []) : []
    expect(emails).toHaveLength(8)
    for (let i = 0; i < 6; i += 1) expect(emails).toContain(`p${i}@district.org`)
  })

  it('stamps ChangeLog rows with its clock when the action carries no time', async () => {
    const path = await fixturePath()
    const store = openFileStore(path, { now: () => new Date('2025-05-05T05:05:05Z') })
    const result = await store.appendRows({ table: 'People', rows: [{ Email: 'cy@district.org', Name: 'Cy' }], audit: audit('chg-c', '') })
    expect(result.ok).toBe(true)
    const read = await store.read(['ChangeLog'])
    const last = read.ok ? read.value.tables.ChangeLog?.rows.at(-1) : undefined
    expect(last?.[0]).toBe('2025-05-05T05:05:05.000Z')
  })

  it('does not save the file when a write is refused', async () => {
    const path = await fixturePath()
    const before = await readFile(path)
    const store = openFileStore(path)
    const result = await store.updateRow({ table: 'ActionSteps', key: 'S-404', changes: [{ column: 'Status', seen: '', value: "'Done" }], audit: audit('chg-x') })
    expect(result.ok).toBe(false)
    expect(await readFile(path)).toEqual(before)
  })

  it('reports a missing workbook on read', async () => {
    const result = await openFileStore('/nonexistent/folder/plan.xlsx').read(['People'])
    expect(result.ok ? null : result.error.kind).toBe('notFound')
  })
})
