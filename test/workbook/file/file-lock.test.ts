import { existsSync } from 'node:fs'
import { readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { describe, expect, it } from 'vitest'
import { lockHeld, withFileLock, WorkbookBusy } from '../../../src/workbook/file/file-lock.ts'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { startServer } from '../../../src/server/server.ts'
import { describeError } from '../../../src/messages/errors.ts'
import { audit, fixturePath } from './fixture-paths.ts'

/**
 * The `{workbook}.lock` protocol that lets CLI commands and the local server take turns. Another
 * program's lock is a lock file naming a live process: the test writes one naming itself, so
 * nothing here waits on a clock or races a child process.
 */


/** A lock as another live program on this machine leaves it (this process is alive, so it never goes stale). */
const holdLock = (file: string) => writeFile(`${file}.lock`, `${process.pid}\n${hostname()}\n`)

/** Resolves the first time a waiting writer finds the lock held. */
function waitSignal(): { onWait: () => void; waiting: Promise<void> } {
  let signal = () => undefined as void
  const waiting = new Promise<void>((resolve) => (signal = resolve))
  return { onWait: () => signal(), waiting }
}

describe('a lock held by another program', () => {
  it('makes a file-store write wait, then land once the lock is released', async () => {
    const path = await fixturePath()
    await holdLock(path)
    const { onWait, waiting } = waitSignal()
    const before = await readFile(path)
    let settled = false
    const write = openFileStore(path, { lock: { onWait, pollMs: 1 } })
      .appendRows({ table: 'People', rows: [{ Email: 'cy@district.org', Name: 'Cy' }], audit: audit('chg-cy') })
      .finally(() => (settled = true))
    await waiting
    expect(settled).toBe(false)
    expect(await readFile(path)).toEqual(before)
    // Reads do not take the lock: they see the last saved workbook meanwhile.
    const read = await openFileStore(path).read(['People'])
    expect(read.ok ? read.value.tables.People?.rows.length : null).toBe(2)
    await rm(`${path}.lock`)
    expect((await write).ok).toBe(true)
    const after = await openFileStore(path).read(['People'])
    expect(after.ok ? after.value.tables.People?.rows.map((r) => r[0]) : null).toContain('cy@district.org')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('gives up with a clear message (a locked store error) once the wait is over', async () => {
    const path = await fixturePath()
    await holdLock(path)
    const result = await openFileStore(path, { lock: { waitMs: 0 } }).appendRows({ table: 'People', rows: [{ Email: 'cy@district.org', Name: 'Cy' }], audit: audit('chg-cy') })
    expect(result.ok ? null : result.error).toEqual({ kind: 'locked', path, writing: true })
    expect(result.ok ? null : describeError(result.error)).toContain('is being written by another program')
    await rm(`${path}.lock`)
  })

  it('is taken over when the process it names is gone', async () => {
    const path = await fixturePath()
    await writeFile(`${path}.lock`, `999999999\n${hostname()}\n`)
    expect(await lockHeld(path)).toBe(false)
    await expect(withFileLock(path, async () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('is the target\'s lock for a writer reaching the workbook through a symbolic link', async () => {
    const path = await fixturePath()
    const link = `${path}-link.xlsx`
    await symlink(path, link)
    await holdLock(path)
    expect(await lockHeld(link)).toBe(true)
    await expect(withFileLock(link, async () => 'ran', { waitMs: 0 })).rejects.toThrow(WorkbookBusy)
    await rm(`${path}.lock`)
    await expect(withFileLock(link, async () => 'ran', { waitMs: 0 })).resolves.toBe('ran')
    expect(existsSync(`${link}.lock`)).toBe(false)
  })

  it('is not taken over while its process lives', async () => {
    const path = await fixturePath()
    await holdLock(path)
    expect(await lockHeld(path)).toBe(true)
    await expect(withFileLock(path, async () => 'ran', { waitMs: 0 })).rejects.toThrow(WorkbookBusy)
    await rm(`${path}.lock`)
  })
})

describe('an empty lock file (its writer died between creating and filling it)', () => {
  const MTIME = 1_700_000_000_000

  async function emptyLock(text = ''): Promise<string> {
    const path = await fixturePath()
    await writeFile(`${path}.lock`, text)
    await utimes(`${path}.lock`, MTIME / 1000, MTIME / 1000)
    return path
  }

  it('counts as held during the grace period, when its writer may still be filling it', async () => {
    const path = await emptyLock()
    const now = () => MTIME + 1_999
    expect(await lockHeld(path, { now })).toBe(true)
    await expect(withFileLock(path, async () => 'ran', { waitMs: 0, now })).rejects.toThrow(WorkbookBusy)
  })

  it('is stale after the grace period (2 s by default) and taken over', async () => {
    const path = await emptyLock()
    const now = () => MTIME + 2_001
    expect(await lockHeld(path, { now })).toBe(false)
    await expect(withFileLock(path, async () => 'ran', { waitMs: 0, now })).resolves.toBe('ran')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })

  it('treats a half-written lock (no newline after the pid yet) the same way, with a configurable grace', async () => {
    const path = await emptyLock('12')
    expect(await lockHeld(path, { now: () => MTIME + 400, emptyGraceMs: 500 })).toBe(true)
    expect(await lockHeld(path, { now: () => MTIME + 600, emptyGraceMs: 500 })).toBe(false)
  })
})

describe('writers in one process and the local server take turns on one .xlsx', () => {
  it('a write straight to the file while the local server serves it is seen by the server, not overwritten', async () => {
    const path = await fixturePath()
    const server = await startServer({ workbook: path, port: 0 })
    try {
      const direct = await openFileStore(path).updateRow({ table: 'ActionSteps', key: 'S-1', changes: [{ column: 'Status', seen: 'In progress', value: 'Blocked' }], audit: audit('chg-direct') })
      expect(direct.ok).toBe(true)
      const wb = `${server.driveItemUrl}/workbook`
      // The server reads the file the store saved, and its own write keeps the store's change.
      const rows = (await (await fetch(`${wb}/tables/ActionSteps/rows`)).json()) as { value: { values: unknown[][] }[] }
      expect(rows.value[0]?.values[0]?.[6]).toBe('Blocked')
      const patch = await fetch(`${wb}/tables/ActionSteps/rows/itemAt(index=1)`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ values: [[null, null, null, null, null, null, 'Done', null]] }),
      })
      expect(patch.status).toBe(200)
    } finally {
      await server.close()
    }
    const read = await openFileStore(path).read(['ActionSteps'])
    const statuses = read.ok ? read.value.tables.ActionSteps?.rows.map((r) => r[6]) : []
    expect(statuses?.slice(0, 2)).toEqual(['Blocked', 'Done'])
  })
})
