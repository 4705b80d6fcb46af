import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { seenIn } from '../../src/app/seen.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { answered, count, freePort, judge, readDisk, workbookCopy, report, seeded, serveChild, sleep, type DrillReport, type ServeChild, type WriteRecord } from './common.ts'
import { checkIn, cliStore, loadPlanPatiently, paneStore, percentile, sourceAt, updateNotes } from './writers.ts'

/**
 * Drill 3: `kill -9` of the server every few seconds while writes go on. The built CLI's `serve`
 * runs as a child on a fixed port; it is SIGKILLed at a random moment every 2–4 s and started again
 * at once. Writers (task panes on persistent sessions, and CLI-style one-shot clients) keep
 * updating their own steps and logging check-ins. Afterwards the workbook must open (exceljs) and
 * hold every write whose caller was told it was saved; none may be there twice. A write told
 * "failed" may or may not have landed: when the server died after saving and before answering,
 * the caller could not be told; those are counted, not hidden.
 */

export type KillOptions = { workbook: string; today: IsoDate; seconds: number; writers: number; seed: number; minGapMs: number; maxGapMs: number }

export async function killDrill(o: KillOptions): Promise<DrillReport> {
  const started = Date.now()
  const { dir, workbook } = await workbookCopy('kill', o.workbook)
  const random = seeded(o.seed)
  const port = await freePort()
  let server: ServeChild = await serveChild(workbook, port)
  const source = sourceAt(server.graphBaseUrl, server.driveItemId)

  const writes: WriteRecord[] = []
  const latencies: number[] = []
  const restartsMs: number[] = []
  let kills = 0
  let stop = false
  let killerError: unknown = null

  const killer = (async () => {
    try {
      while (!stop) {
        await sleep(o.minGapMs + random() * (o.maxGapMs - o.minGapMs))
        if (stop) break
        server.child.kill('SIGKILL')
        await server.exited
        kills += 1
        const t = Date.now()
        server = await serveChild(workbook, port)
        restartsMs.push(Date.now() - t)
      }
    } catch (e) {
      killerError = e
      stop = true
    }
  })()

  const opener = cliStore(source)
  const { plan } = await loadPlanPatiently(opener)
  await opener.close()
  const people = plan.plan.people
  const numeric = plan.plan.wigs.filter((w) => w.kind !== 'Milestone')
  const steps = plan.plan.steps.map((s) => s.id)

  const writer = async (w: number): Promise<void> => {
    const kind = w % 2 === 0 ? 'pane' : 'cli'
    const by = people[(w * 3) % people.length]?.email ?? ''
    const myStep = (i: number) => steps[(w + i * o.writers) % steps.length] ?? ''
    let store: WorkbookStore = kind === 'pane' ? paneStore(source) : cliStore(source)
    let i = 0
    while (!stop) {
      i += 1
      if (i % 3 === 0) {
        const wig = numeric[(w + i) % numeric.length]
        if (!wig) break
        const outcome = await checkIn(store, plan.plan, wig.id, { by }, { value: i, note: `drill 3: writer ${w + 1} check-in ${i}`, today: o.today, source: `drill: ${kind}` })
        writes.push(outcome.record)
        latencies.push(outcome.ms)
      } else {
        // A step is read just before it is changed, as `pm-workbook step` does and as a pane does after reloading.
        const stepId = myStep(i)
        const row = await store.readRow('ActionSteps', stepId)
        if (!row.ok) continue
        const seen = { table: 'ActionSteps' as const, key: stepId, index: null, headers: row.value.headers, values: row.value.values, ...(row.value.numberFormats ? { numberFormats: row.value.numberFormats } : {}) }
        const outcome = await updateNotes(store, seen, { by, people }, { label: `drill 3: writer ${w + 1} update ${i}`, source: `drill: ${kind}` })
        writes.push(outcome.record)
        latencies.push(outcome.ms)
      }
      if (kind === 'cli') {
        // A CLI command is one process per write: a fresh store each time.
        await store.close()
        store = cliStore(source)
      }
    }
    await store.close()
  }
  const writers = Array.from({ length: o.writers }, (_, w) => writer(w))
  await sleep(o.seconds * 1000)
  stop = true
  await Promise.all(writers)
  await killer
  // The last server goes the same way: no graceful close to tidy up after it.
  server.child.kill('SIGKILL')
  await server.exited
  if (killerError) throw killerError

  const leftovers = (await readdir(dir)).filter((f) => f !== 'plan.xlsx')
  let opens = true
  let openError = ''
  let disk: Awaited<ReturnType<typeof readDisk>> = {}
  try {
    disk = await readDisk(workbook)
  } catch (e) {
    opens = false
    openError = e instanceof Error ? e.message : String(e)
  }
  await rm(dir, { recursive: true, force: true })
  const verdict = judge(writes, disk)
  const { acked, failed, conflicts } = answered(writes)
  const whyFailed = new Map<string, number>()
  for (const f of failed) whyFailed.set(f.why ?? '?', (whyFailed.get(f.why ?? '?') ?? 0) + 1)
  const notes = [...verdict.examples]
  if (!opens) notes.unshift(`the workbook does not open after the drill: ${openError}`)
  if (leftovers.length > 0) notes.push(`left beside the workbook by killed servers: ${leftovers.length} file(s) (${[...new Set(leftovers.map((f) => f.replace(/[0-9a-f]{6,}|\d+/g, '…')))].join(', ')})`)
  return report({
    key: 'kill',
    title: `Drill 3: kill -9 of \`pm-workbook serve\` every ${o.minGapMs / 1000}–${o.maxGapMs / 1000} s during writes, restarted each time`,
    tried: [`${count(writes.length)} writes in ${o.seconds} s (step updates and check-ins) from ${o.writers} writers (${Math.ceil(o.writers / 2)} task panes on persistent sessions, ${Math.floor(o.writers / 2)} CLI-style one-shot clients); ${count(kills)} kills, restarts took ${percentile(restartsMs, 50)} ms (p50), ${Math.max(0, ...restartsMs)} ms at most`],
    triedFigures: { writes: writes.length, writers: o.writers, kills, restartP50Ms: percentile(restartsMs, 50) },
    happened: [
      `${count(acked)} acked, ${count(failed.length)} failed (${[...whyFailed].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}), ${count(conflicts)} conflicts; the workbook ${opens ? 'opens' : 'DOES NOT OPEN'} afterwards`,
      `on disk: ${count(verdict.landedOnce)} of ${count(acked)} acked writes exactly once; of the writes told failed or conflict, ${count(verdict.failedButLanded)} landed all the same (the server died after saving, before answering) and ${count(verdict.refusedAndAbsent)} did not`,
    ],
    happenedFigures: { acked, failed: failed.length, conflicts, opens: opens ? 1 : 0, landedOnce: verdict.landedOnce, failedButLanded: verdict.failedButLanded, refusedAndAbsent: verdict.refusedAndAbsent, leftoverFiles: leftovers.length },
    lost: verdict.lost + (opens ? 0 : acked),
    duplicated: verdict.duplicated,
    crashed: opens ? 0 : 1,
    ms: Date.now() - started,
    notes,
  })
}
