import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { SeenRow } from '../../src/app/seen.ts'
import { findColumn } from '../../src/workbook/contract.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { answered, count, freePort, judge, readDisk, workbookCopy, report, seconds, serveChild, type DrillReport, type WriteRecord } from './common.ts'
import { cliStore, paneStore, percentile, sourceAt, updateNotes, type Outcome } from './writers.ts'

/**
 * Drill 4: many writers at once on the L workbook, each with the client's own deadline. The built
 * CLI's `serve` holds L (1,000 WIGs, 25,000 steps, 100,000 check-ins); `writers` callers, half task
 * panes (persistent sessions) and half CLI-style one-shot clients, each read one step and then all
 * save at the same moment. A few pairs share a step, both from the row as it was before either
 * saved, so one of each pair must hear "conflict". Each wave runs with a per-request deadline:
 * the client's default (30 s, PMW_GRAPH_TIMEOUT_MS) and, when asked, a tighter one that a save at
 * L outlasts, so callers give up, retry and read their ChangeId back. Every caller's answer must
 * match the disk: ok = there once, failed or conflict = not there.
 */

export type WritersOptions = { workbook: string; writers: number; pairs: number; waves: { label: string; timeoutMs?: number }[] }

type Writer = { w: number; kind: 'pane' | 'cli'; store: WorkbookStore; stepId: string; seen: SeenRow | null; by: string }

export async function writersDrill(o: WritersOptions): Promise<DrillReport> {
  const started = Date.now()
  const { dir, workbook } = await workbookCopy('writers', o.workbook)
  const port = await freePort()
  const serveStarted = Date.now()
  const server = await serveChild(workbook, port, 300_000)
  const serveMs = Date.now() - serveStarted
  const source = sourceAt(server.graphBaseUrl, server.driveItemId)

  const writes: WriteRecord[] = []
  const waveLines: string[] = []
  const figures: Record<string, number> = { serveStartMs: serveMs }
  let stopMs = 0
  try {
    const reader = cliStore(source)
    const read = await reader.read(['ActionSteps', 'People'])
    await reader.close()
    if (!read.ok) throw new Error(`L could not be read: ${read.error.kind}`)
    const stepsTable = read.value.tables.ActionSteps
    const peopleTable = read.value.tables.People
    if (!stepsTable || !peopleTable) throw new Error('L has no ActionSteps or People table')
    const stepColumn = findColumn(stepsTable.headers, 'StepId')
    const stepIds = stepsTable.rows.map((r) => String(r[stepColumn] ?? ''))
    const emailColumn = findColumn(peopleTable.headers, 'Email')
    const emails = peopleTable.rows.map((r) => String(r[emailColumn] ?? ''))
    const people = emails.map((email) => ({ email, name: email, department: '', role: '' }))
    const distinct = o.writers - o.pairs
    let waveNo = 0
    for (const wave of o.waves) {
      waveNo += 1
      // Steps spread over the whole table, a different set each wave; the last `pairs` writers share a step with the first ones.
      const stepFor = (w: number) => stepIds[(Math.floor(((w % distinct) + 0.5) * (stepIds.length / distinct)) + waveNo * 97) % stepIds.length] ?? ''
      const writers: Writer[] = Array.from({ length: o.writers }, (_, w) => {
        const kind = w % 2 === 0 ? 'pane' : 'cli'
        const store = kind === 'pane' ? paneStore(source, wave.timeoutMs) : cliStore(source, wave.timeoutMs)
        return { w, kind, store, stepId: stepFor(w), seen: null, by: emails[w % emails.length] ?? '' }
      })
      // Everyone reads their row first (as a pane shows it, or `pm-workbook step` reads it)…
      const readStarted = Date.now()
      await Promise.all(
        writers.map(async (writer) => {
          const row = await writer.store.readRow('ActionSteps', writer.stepId)
          if (row.ok) writer.seen = { table: 'ActionSteps', key: writer.stepId, index: null, headers: row.value.headers, values: row.value.values, ...(row.value.numberFormats ? { numberFormats: row.value.numberFormats } : {}) }
        }),
      )
      const readMs = Date.now() - readStarted
      const unread = writers.filter((w) => w.seen === null).length
      // …then all save at once.
      const saveStarted = Date.now()
      const outcomes: Outcome[] = await Promise.all(
        writers
          .filter((w) => w.seen !== null)
          .map((writer) => updateNotes(writer.store, writer.seen as SeenRow, { by: writer.by, people }, { label: `drill 4 (${wave.label}): writer ${writer.w + 1} (${writer.kind})`, source: `drill: ${writer.kind}` })),
      )
      const waveMs = Date.now() - saveStarted
      await Promise.all(writers.map((w) => w.store.close()))
      writes.push(...outcomes.map((x) => x.record))
      const ms = outcomes.map((x) => x.ms)
      const of = (a: string) => outcomes.filter((x) => x.record.answer === a).length
      const whyFailed = new Map<string, number>()
      for (const x of outcomes) if (x.record.answer === 'failed') whyFailed.set(x.record.why ?? '?', (whyFailed.get(x.record.why ?? '?') ?? 0) + 1)
      // Each shared step: one of its two writers must hear "conflict" (or fail), never both "saved".
      const pairAnswers = Array.from({ length: o.pairs }, (_, p) => [writers[p], writers[distinct + p]].map((w) => outcomes.find((x) => x.record.key === w?.stepId && x.record.notes?.includes(`writer ${(w?.w ?? -1) + 1} `))?.record.answer ?? 'unread'))
      const bothSaved = pairAnswers.filter((a) => a.every((x) => x === 'ok')).length
      const tag = wave.timeoutMs === undefined ? 'default' : `${wave.timeoutMs}ms`
      figures[`${tag}PairsBothSaved`] = bothSaved
      figures[`${tag}Acked`] = of('ok')
      figures[`${tag}Failed`] = of('failed')
      figures[`${tag}Conflicts`] = of('conflict')
      figures[`${tag}P50Ms`] = percentile(ms, 50)
      figures[`${tag}P95Ms`] = percentile(ms, 95)
      figures[`${tag}WaveMs`] = waveMs
      waveLines.push(
        `wave ${waveNo}, ${wave.label}: ${count(of('ok'))} ok, ${count(of('failed'))} failed${whyFailed.size > 0 ? ` (${[...whyFailed].map(([k, v]) => `${v} ${k}`).join(', ')})` : ''}, ${count(of('conflict'))} conflicts${unread > 0 ? `, ${unread} could not read their row` : ''}; of the ${o.pairs} shared steps, ${o.pairs - bothSaved} had a writer told conflict or failed and ${bothSaved} had both told saved; rows read in ${seconds(readMs)}, saves answered in ${seconds(waveMs)} (p50 ${seconds(percentile(ms, 50))}, p95 ${seconds(percentile(ms, 95))}, slowest ${seconds(Math.max(0, ...ms))})`,
      )
    }
  } finally {
    const stopStarted = Date.now()
    server.child.kill('SIGTERM')
    await server.exited
    stopMs = Date.now() - stopStarted
  }
  const readStarted = Date.now()
  const disk = await readDisk(workbook)
  const diskMs = Date.now() - readStarted
  await rm(dir, { recursive: true, force: true })
  const verdict = judge(writes, disk)
  const { acked, failed, conflicts } = answered(writes)
  const mismatched = verdict.lost + verdict.failedButLanded + verdict.duplicated
  return report({
    key: 'writers',
    title: `Drill 4: ${o.writers} writers at once on L, with the client's deadline`,
    tried: [
      `${o.waves.length} wave(s) of ${o.writers} writers (${Math.ceil(o.writers / 2)} task panes on persistent sessions, ${Math.floor(o.writers / 2)} CLI-style one-shot clients), each reading one step of L's 25,000 and then all saving at once; ${o.pairs} pairs share a step, both from the row as it was before either saved`,
      `the server (\`pm-workbook serve\` on L) started in ${seconds(serveMs)}; deadlines: ${o.waves.map((w) => w.label).join('; ')}`,
    ],
    triedFigures: { writers: o.writers, waves: o.waves.length, pairs: o.pairs, writes: writes.length },
    happened: [
      ...waveLines,
      `on disk (exceljs read L in ${seconds(diskMs)}, after the server stopped in ${seconds(stopMs)}): ${count(verdict.landedOnce)} of ${count(acked)} ok answers there once; ${count(verdict.refusedAndAbsent)} of ${count(failed.length + conflicts)} failed or conflict answers absent, ${count(verdict.failedButLanded)} there anyway`,
    ],
    happenedFigures: { acked, failed: failed.length, conflicts, landedOnce: verdict.landedOnce, failedButLanded: verdict.failedButLanded, mismatched, ...figures },
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    crashed: 0,
    ms: Date.now() - started,
    notes: verdict.examples,
    // Every caller's answer must match the disk: a failure that landed is a mismatch too.
    pass: mismatched === 0,
  })
}
