import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { seenIn } from '../../src/app/seen.ts'
import type { ServerFaults } from '../../src/server/faults.ts'
import { startServer } from '../../src/server/server.ts'
import { answered, count, judge, readDisk, workbookCopy, report, seeded, startDroppingProxy, type DrillReport, type WriteRecord } from './common.ts'
import { loadPlanPatiently, paneStore, percentile, sourceAt, updateNotes } from './writers.ts'

/**
 * Drill 1: task-pane updates through throttling and dropped connections. The local server answers
 * 10% of Graph requests 429 with Retry-After 0 or 1 s (sub-requests of a `$batch` each count as a
 * request and are throttled inside the 200 batch, as the service does: GRAPH.md §5); a proxy in
 * front of it drops 2% of connections, half before the request reaches the server and half after
 * the server answered (the write saved, the caller never told). Several panes each update their
 * own steps one after another through the pane's store and `updateStep`, pressing Retry (same
 * ChangeId, same row as seen) when a save fails, and reloading the plan after each save as the pane
 * does. Afterwards every update must be on disk exactly once.
 */

export type ThrottleOptions = { workbook: string; updates: number; panes: number; throttle: number; drop: number; seed: number; maxRetries: number }

export async function throttleDrill(o: ThrottleOptions): Promise<DrillReport> {
  const started = Date.now()
  const { dir, workbook } = await workbookCopy('throttle', o.workbook)

  const random = seeded(o.seed)
  const faultsSeen = { requests: 0, throttled: 0, retryAfter0: 0, retryAfter1: 0 }
  const faults: ServerFaults = (request) => {
    // The `$batch` envelope itself is never throttled: its sub-requests are (src/server/faults.ts).
    if (request.path === '/$batch' && !request.inBatch) return null
    faultsSeen.requests += 1
    if (random() >= o.throttle) return null
    faultsSeen.throttled += 1
    const retryAfterSeconds = random() < 0.5 ? 0 : 1
    if (retryAfterSeconds === 0) faultsSeen.retryAfter0 += 1
    else faultsSeen.retryAfter1 += 1
    return { status: 429, retryAfterSeconds }
  }
  const server = await startServer({ workbook, faults })
  const proxy = await startDroppingProxy(server.origin, o.drop, seeded(o.seed + 1))
  const source = sourceAt(`${proxy.origin}/graph/v1.0`, server.driveItemId)

  const writes: WriteRecord[] = []
  const latencies: number[] = []
  let paneRetries = 0
  let reloadFailures = 0
  let stepsUsed = 0
  let notes: string[] = []
  try {
    const first = paneStore(source)
    const opened = await loadPlanPatiently(first)
    reloadFailures += opened.failures
    await first.close()
    const steps = opened.plan.plan.steps.map((s) => s.id)
    const people = opened.plan.plan.people
    // Each pane is one person updating their share of the steps; with more updates than steps, a
    // step is updated again from the row as the pane read it after its previous save.
    const plan = Array.from({ length: o.updates }, (_, n) => ({ n, stepId: steps[n % steps.length] ?? '' }))
    stepsUsed = Math.min(o.updates, steps.length)
    const pane = async (p: number): Promise<void> => {
      const store = paneStore(source)
      const by = people[p % people.length]?.email ?? ''
      let snapshot = await loadPlanPatiently(store)
      reloadFailures += snapshot.failures
      for (const { n, stepId } of plan.filter((u) => u.n % o.panes === p)) {
        let changeId: string | undefined
        for (let press = 0; ; press += 1) {
          const seen = seenIn(snapshot.plan.raw, 'ActionSteps', stepId)
          if (!seen.ok) throw new Error(`step ${stepId} not in the pane's snapshot`)
          const outcome = await updateNotes(store, seen.value, { by, people }, { label: `drill 1: update ${n + 1} by pane ${p + 1}`, source: 'drill: task pane', ...(changeId ? { changeId } : {}), ...(n % 2 === 1 ? { percent: (n * 7) % 101 } : {}) })
          changeId = outcome.record.changeId
          latencies.push(outcome.ms)
          if (outcome.record.answer === 'failed' && press < o.maxRetries) {
            paneRetries += 1
            continue
          }
          writes.push(outcome.record)
          if (outcome.record.answer !== 'failed') {
            const again = await loadPlanPatiently(store)
            reloadFailures += again.failures
            snapshot = again
          }
          break
        }
      }
      await store.close()
    }
    await Promise.all(Array.from({ length: o.panes }, (_, p) => pane(p)))
  } finally {
    await proxy.close()
    await server.close()
  }
  const disk = await readDisk(workbook)
  await rm(dir, { recursive: true, force: true })
  const verdict = judge(writes, disk)
  const { acked, failed, conflicts } = answered(writes)
  notes = verdict.examples
  if (failed.length > 0) notes.push(`failed after ${o.maxRetries} Retry presses: ${failed.map((w) => `${w.key} (${w.why ?? '?'})`).join(', ')}`)
  const drops = proxy.stats.droppedBefore + proxy.stats.droppedAfter
  return report({
    key: 'throttle',
    title: `Drill 1: ${o.updates} task-pane updates, ${Math.round(o.throttle * 100)}% of requests answered 429 (Retry-After 0 or 1 s, kept small to fit the time budget), ${Math.round(o.drop * 100)}% of connections dropped`,
    tried: [
      `${count(o.updates)} step updates (Notes, and PercentComplete on every other one) on ${count(stepsUsed)} steps of the sample district, from ${o.panes} task panes each on one persistent session, Retry pressed up to ${o.maxRetries} times with the same ChangeId`,
      `${count(proxy.stats.requests)} HTTP requests carrying ${count(faultsSeen.requests)} Graph requests (sub-requests counted); ${count(faultsSeen.throttled)} answered 429 (${count(faultsSeen.retryAfter0)} with Retry-After 0, ${count(faultsSeen.retryAfter1)} with 1 s); ${count(drops)} connections dropped (${count(proxy.stats.droppedBefore)} before the server, ${count(proxy.stats.droppedAfter)} after its answer)`,
    ],
    triedFigures: { updates: o.updates, panes: o.panes, httpRequests: proxy.stats.requests, graphRequests: faultsSeen.requests, throttled: faultsSeen.throttled, droppedBefore: proxy.stats.droppedBefore, droppedAfter: proxy.stats.droppedAfter },
    happened: [
      `${count(acked)} acked, ${count(failed.length)} failed, ${count(conflicts)} conflicts; ${count(paneRetries)} Retry presses, ${count(reloadFailures)} plan reloads failed and were repeated`,
      `on disk: ${count(verdict.landedOnce)} acked updates exactly once; ${count(verdict.refusedAndAbsent)} refused and absent; ${count(verdict.failedButLanded)} told failed but on disk; save p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms`,
    ],
    happenedFigures: { acked, failed: failed.length, conflicts, retries: paneRetries, reloadFailures, landedOnce: verdict.landedOnce, failedButLanded: verdict.failedButLanded, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) },
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    crashed: 0,
    ms: Date.now() - started,
    notes,
    // Every update must be on disk exactly once: a failure, even one that left nothing behind, is not that.
    pass: verdict.lost === 0 && verdict.duplicated === 0 && verdict.failedButLanded === 0 && acked === o.updates,
  })
}
