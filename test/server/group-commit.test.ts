import { afterEach, describe, expect, it } from 'vitest'
import type { ServerFaults } from '../../src/server/faults.ts'
import { graphFetch, jsonInit, rowsOnDisk, startHarness, type Harness } from './harness.ts'

/**
 * Group commit (issue 14 item 1): writes that arrive while a save runs go out together in the
 * next save, each answered only once that save is on disk. Nothing here depends on timing: the
 * `aroundSave` hook holds the first save open until the server has received every later write
 * (its `faults` hook sees each call arrive, just before the call joins the queue), and counts
 * saves; the order of saves and answers is recorded as they happen.
 */

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

type Gate = { open(): void; opened: Promise<void> }
function gate(): Gate {
  let open = () => undefined as void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return { open, opened }
}

/**
 * A server whose first save waits until `later` more writes have arrived, and whose saves
 * (numbered from 1) can be made to fail instead of saving.
 */
async function heldServer(later: number, failSave: number | null = null) {
  const events: string[] = []
  let saves = 0
  let arrived = 0
  const firstSaveRunning = gate()
  const allArrived = gate()
  const faults: ServerFaults = ({ method, path }) => {
    // Writes only: a `$batch` envelope of reads is no write arriving.
    if (method !== 'GET' && !path.endsWith('$batch')) {
      arrived += 1
      // The call joins the queue within this turn of the event loop; open the gate after it.
      if (arrived === later + 1) setImmediate(() => allArrived.open())
    }
    return null
  }
  h = await startHarness({
    faults,
    aroundSave: async (save) => {
      saves += 1
      const n = saves
      events.push(`save ${n} started`)
      if (n === 1) {
        firstSaveRunning.open()
        await allArrived.opened
      }
      if (n === failSave) {
        events.push(`save ${n} failed`)
        throw new Error('disk full (injected)')
      }
      await save()
      events.push(`save ${n} done`)
    },
  })
  const harness = h
  const add = (id: string, values: unknown[][] = [[id, 'W-1', '2025-02-01', 1]]) =>
    graphFetch(harness.server, `${harness.wb}/tables/CheckIns/rows/add`, jsonInit('POST', { values })).then(async (res) => {
      events.push(`answered ${id} ${res.status}`)
      return { status: res.status, body: (await res.json()) as { error?: { code: string; innerError?: { code?: string } } } }
    })
  return { harness, events, add, firstSaveRunning: firstSaveRunning.opened, saves: () => saves, arrived: () => arrived }
}

const ids = async (harness: Harness) => (await rowsOnDisk(harness.workbook, 'CheckIns')).map((r) => r[0])

describe('group commit', () => {
  it('saves every write that arrived during a save in exactly one more save, answering each only after it', async () => {
    const N = 6
    const s = await heldServer(N)
    const first = s.add('G-0')
    await s.firstSaveRunning
    const later = Array.from({ length: N }, (_, i) => s.add(`G-${i + 1}`))
    const answers = await Promise.all([first, ...later])

    expect(answers.map((a) => a.status)).toEqual(Array(N + 1).fill(200))
    expect(s.saves()).toBe(2)
    // G-0 answered after the first save; every later write only after the second.
    const at = (event: string) => s.events.indexOf(event)
    expect(at('answered G-0 200')).toBeGreaterThan(at('save 1 done'))
    for (let i = 1; i <= N; i += 1) expect(at(`answered G-${i} 200`), `G-${i}`).toBeGreaterThan(at('save 2 done'))
    expect(at('save 2 started')).toBeGreaterThan(at('save 1 done'))
    // All on disk, in arrival order after the row already there.
    expect(await ids(s.harness)).toEqual(['C-1', ...Array.from({ length: N + 1 }, (_, i) => `G-${i}`)])
  })

  it('applies the writes of a group in order, each seeing the ones before it', async () => {
    const s = await heldServer(2)
    const first = s.add('G-0')
    await s.firstSaveRunning
    const { harness } = s
    // Both address the row G-0 will be at (index 1) once it is in: the PATCH sees the add before it.
    const patch = graphFetch(harness.server, `${harness.wb}/tables/CheckIns/rows/itemAt(index=1)`, jsonInit('PATCH', { values: [[null, null, null, 7]] }))
    const second = s.add('G-1')
    const answers = await Promise.all([first, patch, second])
    expect(answers[1].status).toBe(200)
    expect(s.saves()).toBe(2)
    const rows = await rowsOnDisk(harness.workbook, 'CheckIns')
    expect(rows.map((r) => [r[0], r[3]])).toEqual([
      ['C-1', 20],
      ['G-0', 7],
      ['G-1', 1],
    ])
  })

  /** G-0 starts a save; G-1, a row of the wrong width and G-2 wait for it, to go in the next group together. */
  async function aGroupWithABadWrite(s: Awaited<ReturnType<typeof heldServer>>) {
    const first = s.add('G-0')
    await s.firstSaveRunning
    const good1 = s.add('G-1')
    const bad = s.add('G-bad', [['too', 'few']])
    const good2 = s.add('G-2')
    return Promise.all([first, good1, bad, good2])
  }

  it('fails a bad write in a group alone', async () => {
    const s = await heldServer(3)
    const [a0, a1, aBad, a2] = await aGroupWithABadWrite(s)

    expect([a0.status, a1.status, a2.status]).toEqual([200, 200, 200])
    expect(aBad.status).toBe(400)
    expect(s.saves()).toBe(2)
    expect(await ids(s.harness)).toEqual(['C-1', 'G-0', 'G-1', 'G-2'])
  })

  it('fails every write of a group whose save fails, and leaves the file (and memory) as before', async () => {
    const s = await heldServer(3, 2)
    const [a0, a1, aBad, a2] = await aGroupWithABadWrite(s)

    expect(a0.status).toBe(200)
    expect(aBad.status).toBe(400)
    for (const a of [a1, a2]) {
      expect(a.status).toBe(500)
      expect(a.body.error?.code).toBe('internalServerError')
    }
    expect(s.events).toContain('save 2 failed')
    expect(s.saves()).toBe(2)
    expect(await ids(s.harness)).toEqual(['C-1', 'G-0'])
    // Memory was read again from the file: the failed writes are not served either.
    const res = await graphFetch(s.harness.server, `${s.harness.wb}/tables/CheckIns/rows`)
    const served = ((await res.json()) as { value: { values: unknown[][] }[] }).value.map((r) => r.values[0]?.[0])
    expect(served).toEqual(['C-1', 'G-0'])
    // And the next write saves normally.
    expect((await s.add('G-3')).status).toBe(200)
    expect(await ids(s.harness)).toEqual(['C-1', 'G-0', 'G-3'])
  })

  it('answers reads while a group is being saved', async () => {
    const s = await heldServer(1)
    const first = s.add('G-0')
    await s.firstSaveRunning
    const { harness } = s
    // The save is held open: every read below is answered before it goes on.
    const rows = await graphFetch(harness.server, `${harness.wb}/tables/CheckIns/rows`)
    expect(rows.status).toBe(200)
    const batch = await graphFetch(
      harness.server,
      '/$batch',
      jsonInit('POST', { requests: [{ id: '1', method: 'GET', url: `${harness.wb}/tables/WIGs/range` }, { id: '2', method: 'GET', url: '/me' }] }),
    )
    expect(batch.status).toBe(200)
    expect(((await batch.json()) as { responses: { status: number }[] }).responses.map((r) => r.status)).toEqual([200, 200])
    const me = await graphFetch(harness.server, '/me')
    expect(me.status).toBe(200)
    expect(s.events.some((e) => e.startsWith('save 1 done'))).toBe(false)
    expect(s.events.some((e) => e.startsWith('answered'))).toBe(false)

    // Let the save finish: one more write arriving releases it.
    const second = s.add('G-1')
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    expect(await ids(harness)).toEqual(['C-1', 'G-0', 'G-1'])
  })

  it('never applies a write whose caller gave up before its group was applied', async () => {
    const s = await heldServer(2)
    const first = s.add('G-0')
    await s.firstSaveRunning
    const { harness } = s
    const abort = new AbortController()
    const givenUp = graphFetch(harness.server, `${harness.wb}/tables/CheckIns/rows/add`, { ...jsonInit('POST', { values: [['G-gone', 'W-1', '2025-02-01', 1]] }), signal: abort.signal }).catch((e: unknown) => e)
    // Once the server holds it (the second arrival), the caller gives up; wait until the server saw it go.
    while (s.arrived() < 2) await new Promise((resolve) => setImmediate(resolve))
    abort.abort()
    while (!harness.log.some((line) => line.includes('closed by the caller'))) await new Promise((resolve) => setImmediate(resolve))
    await givenUp
    // The third arrival lets the first save finish.
    const third = s.add('G-1')
    expect((await first).status).toBe(200)
    expect((await third).status).toBe(200)
    expect(s.saves()).toBe(2)
    expect(await ids(harness)).toEqual(['C-1', 'G-0', 'G-1'])
  })

  it('holds reads for a save that escapes text in the cells while it runs, so none sees the escaped text', async () => {
    const s = await heldServer(1)
    const tricky = 'G_x0041_'
    const first = s.add(tricky)
    await s.firstSaveRunning
    const { harness } = s
    const read = graphFetch(harness.server, `${harness.wb}/tables/CheckIns/rows`).then(async (res) => {
      s.events.push('read answered')
      return ((await res.json()) as { value: { values: unknown[][] }[] }).value.map((r) => r.values[0]?.[0])
    })
    const second = s.add('G-1')
    expect(await read).toEqual(['C-1', tricky])
    expect(s.events.indexOf('read answered')).toBeGreaterThan(s.events.indexOf('save 1 done'))
    expect((await first).status).toBe(200)
    expect((await second).status).toBe(200)
    expect(await ids(harness)).toEqual(['C-1', tricky, 'G-1'])
  })
})
