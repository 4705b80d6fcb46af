import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { readSeen } from '../../src/app/seen.ts'
import { startServer } from '../../src/server/server.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { answered, judge, readDisk, workbookCopy, report, type DrillReport, type WriteRecord } from './common.ts'
import { cliStore, sourceAt, updateNotes } from './writers.ts'

/**
 * Drill 4b: the case drill 4 meets by chance when saves outlast the client's deadline, made
 * certain. Two people read the same step; A saves; B's save (from the row as B saw it, before A's
 * change) reaches the server after A's and B's answer is lost on the way back (the connection
 * drops, or B's deadline passes). B's client then reads its ChangeId back, finds it, and must not
 * report a plain "saved": B's write replaced a value B had never seen, so B should hear "conflict"
 * (and A's value be put back), as B would have had the answer arrived. Run once with B as a
 * CLI-style client and once as a task pane (persistent session).
 */

export async function raceDrill(o: { workbook: string; by: string }): Promise<DrillReport> {
  const started = Date.now()
  const { dir, workbook } = await workbookCopy('race', o.workbook)
  const server = await startServer({ workbook })
  const source = sourceAt(server.graphBaseUrl, server.driveItemId)
  const writes: WriteRecord[] = []
  const lines: string[] = []
  try {
    for (const [round, kind] of (['cli', 'pane'] as const).entries()) {
      const step = ['ST-0041', 'ST-0043'][round] ?? 'ST-0041'
      const a = cliStore(source)
      let aSaves: (() => Promise<void>) | null = null
      let dropped = false
      // B's HTTP client: its write `$batch` (the one with the PATCH) waits until A has saved, then
      // reaches the server, and its answer is lost on the way back.
      const b: WorkbookStore = openGraphStore({
        location: source.location,
        tokens: source.tokens,
        ...(kind === 'pane' ? { session: 'persistent' as const, maxTries: 3 } : {}),
        fetch: async (url, init) => {
          if (!dropped && typeof init.body === 'string' && init.body.includes('"PATCH"')) {
            dropped = true
            await aSaves?.()
            await fetch(url, init)
            throw new TypeError('fetch failed')
          }
          return fetch(url, init)
        },
      })
      const seenA = await readSeen(a, 'ActionSteps', step)
      const seenB = await readSeen(b, 'ActionSteps', step)
      if (!seenA.ok || !seenB.ok) throw new Error(`step ${step} could not be read`)
      aSaves = async () => {
        const outcome = await updateNotes(a, seenA.value, { by: o.by, people: [] }, { label: `drill 4b (${kind}): A saves first`, source: 'drill: cli' })
        writes.push(outcome.record)
        lines.push(`${kind}: A told ${outcome.record.answer}`)
      }
      const outcome = await updateNotes(b, seenB.value, { by: o.by, people: [] }, { label: `drill 4b (${kind}): B saves from the row before A's change`, source: `drill: ${kind}` })
      writes.push(outcome.record)
      lines.push(`${kind}: B told ${outcome.record.answer}${outcome.record.why ? ` (${outcome.record.why})` : ''}`)
      await a.close()
      await b.close()
    }
  } finally {
    await server.close()
  }
  const disk = await readDisk(workbook)
  await rm(dir, { recursive: true, force: true })
  const verdict = judge(writes, disk)
  const { acked, conflicts } = answered(writes)
  return report({
    key: 'race',
    title: "Drill 4b: a colleague's save lands between your read and your write, and the answer to your write is lost",
    tried: ['2 rounds (B as a CLI-style client, then as a task pane), each: A and B read one step, A saves, B saves from the row as it was before A, B\'s answer is dropped after the server applied it'],
    triedFigures: { rounds: 2, writes: writes.length },
    happened: [`${lines.join('; ')}; on disk: ${verdict.landedOnce} acked writes there and not overwritten unseen, ${verdict.unseenOverwrites} acked writes that overwrote a change their caller never saw`],
    happenedFigures: { acked, conflicts, unseenOverwrites: verdict.unseenOverwrites, landedOnce: verdict.landedOnce },
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    crashed: 0,
    ms: Date.now() - started,
    notes: verdict.examples,
  })
}
