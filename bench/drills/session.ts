import { rm } from 'node:fs/promises'
import { seenIn } from '../../src/app/seen.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import type { ServerFaults } from '../../src/server/faults.ts'
import { DEFAULT_SESSION_IDLE_MS } from '../../src/server/handlers/sessions.ts'
import { startServer } from '../../src/server/server.ts'
import { answered, count, judge, readDisk, workbookCopy, report, seeded, startDroppingProxy, type DrillReport, type WriteRecord } from './common.ts'
import { checkIn, loadPlanPatiently, paneStore, sourceAt, updateNotes } from './writers.ts'

/**
 * Drill 2: the workbook session expires in the middle of a write. Graph answers a call on an
 * expired session 404 with the inner code invalidSessionReCreatable: "the session … does not exist
 * or is invalid due to a transient error. The Microsoft Graph client can try to recreate a session
 * and resume the work" (concepts/workbook-error-handling.md; 404 from res/excel.md's 2019
 * revision); the local server answers so (src/server/errors.ts, sessionNotFound). Here the
 * server's clock jumps past the persistent-session idle limit (5 min) at one chosen Graph request
 * of a task-pane write, so that very request, and every later one on the session, meets the
 * expired session. A `$batch` is not atomic: when the expiry hits the ChangeLog row after the cell
 * PATCH of the same batch, the cell has changed and its log row has not. Each write must land once
 * (or be reported failed and be absent).
 */

type Point = {
  name: string
  write: 'update' | 'checkIn'
  /** Arms the expiry when the proxy sees a `$batch` like this one (the write batch, or any). */
  armOn: (subRequests: { method: string; url: string }[]) => boolean
  /** The sub-request the session expires at: the first one after arming with this method and URL part. */
  at: { method: string; url: string }
}

const POINTS: Point[] = [
  { name: 'update, at its first read (header rows)', write: 'update', armOn: () => true, at: { method: 'GET', url: 'headerRowRange' } },
  { name: 'update, at the re-read of the row just before the PATCH', write: 'update', armOn: hasMethod('PATCH'), at: { method: 'GET', url: 'range(' } },
  { name: 'update, at the cell PATCH', write: 'update', armOn: hasMethod('PATCH'), at: { method: 'PATCH', url: 'range(' } },
  { name: 'update, at the ChangeLog row, after the PATCH of the same batch applied', write: 'update', armOn: hasMethod('PATCH'), at: { method: 'POST', url: 'tables/ChangeLog/rows/add' } },
  { name: 'check-in, at its first read (header rows)', write: 'checkIn', armOn: () => true, at: { method: 'GET', url: 'headerRowRange' } },
  { name: 'check-in, at the new CheckIns row', write: 'checkIn', armOn: () => true, at: { method: 'POST', url: 'tables/CheckIns/rows/add' } },
  { name: 'check-in, at the ChangeLog row, after the CheckIns row of the same batch was added', write: 'checkIn', armOn: () => true, at: { method: 'POST', url: 'tables/ChangeLog/rows/add' } },
]

function hasMethod(method: string) {
  return (subRequests: { method: string }[]) => subRequests.some((r) => r.method === method)
}

function subRequestsOf(body: Buffer): { method: string; url: string }[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { requests?: { method?: unknown; url?: unknown }[] }
    return (parsed.requests ?? []).map((r) => ({ method: String(r.method ?? '').toUpperCase(), url: decodeURIComponent(String(r.url ?? '')) }))
  } catch {
    return []
  }
}

export async function sessionDrill(o: { workbook: string; today: IsoDate; rounds: number; seed: number }): Promise<DrillReport> {
  const started = Date.now()
  const { dir, workbook } = await workbookCopy('session', o.workbook)

  let offset = 0
  let armed: Point | null = null
  let waiting: Point | null = null
  const stats = { expired: 0, sessionsCreated: 0 }
  // The tap never answers in the server's place: it only moves the server's clock.
  const faults: ServerFaults = (request) => {
    const path = decodeURIComponent(request.path)
    if (path.endsWith('/createSession')) stats.sessionsCreated += 1
    if (waiting && request.method === waiting.at.method && path.includes(waiting.at.url)) {
      offset += DEFAULT_SESSION_IDLE_MS.persistent + 60_000
      stats.expired += 1
      waiting = null
    }
    return null
  }
  const server = await startServer({ workbook, faults, clock: () => Date.now() + offset })
  const proxy = await startDroppingProxy(server.origin, 0, seeded(o.seed), (method, url, body) => {
    if (!armed || method !== 'POST' || !url.endsWith('/$batch')) return
    if (armed.armOn(subRequestsOf(body))) {
      waiting = armed
      armed = null
    }
  })
  const source = sourceAt(`${proxy.origin}/graph/v1.0`, server.driveItemId)
  const writes: WriteRecord[] = []
  const perPoint: string[] = []
  try {
    const store = paneStore(source)
    let loaded = (await loadPlanPatiently(store)).plan
    const people = loaded.plan.people
    const by = people[0]?.email ?? ''
    const numeric = loaded.plan.wigs.filter((w) => w.kind !== 'Milestone')
    let n = 0
    for (let round = 0; round < o.rounds; round += 1) {
      for (const point of POINTS) {
        n += 1
        armed = point
        waiting = null
        const before = stats.expired
        let outcome
        if (point.write === 'update') {
          const stepId = loaded.plan.steps[(n * 7) % loaded.plan.steps.length]?.id ?? ''
          const seen = seenIn(loaded.raw, 'ActionSteps', stepId)
          if (!seen.ok) throw new Error(`no step ${stepId}`)
          outcome = await updateNotes(store, seen.value, { by, people }, { label: `drill 2: ${point.name}`, source: 'drill: task pane', percent: (n * 13) % 101 })
        } else {
          const wig = numeric[n % numeric.length]
          if (!wig) throw new Error('the sample has no numeric WIG')
          outcome = await checkIn(store, loaded.plan, wig.id, { by }, { value: 40 + n, note: `drill 2: ${point.name}`, today: o.today, source: 'drill: task pane' })
        }
        armed = null
        waiting = null
        const hit = stats.expired > before
        writes.push(outcome.record)
        perPoint.push(`${point.name}: ${hit ? 'expired there' : 'NOT REACHED'}, told ${outcome.record.answer}${outcome.record.why ? ` (${outcome.record.why})` : ''}`)
        loaded = (await loadPlanPatiently(store)).plan
      }
    }
    await store.close()
  } finally {
    await proxy.close()
    await server.close()
  }
  const disk = await readDisk(workbook)
  await rm(dir, { recursive: true, force: true })
  const verdict = judge(writes, disk)
  const { acked, failed, conflicts } = answered(writes)
  const reached = perPoint.filter((p) => !p.includes('NOT REACHED')).length
  return report({
    key: 'session',
    title: 'Drill 2: the workbook session expires in the middle of a task-pane write (404 invalidSessionReCreatable)',
    tried: [
      `${count(writes.length)} writes (${POINTS.filter((p) => p.write === 'update').length * o.rounds} step updates, ${POINTS.filter((p) => p.write === 'checkIn').length * o.rounds} check-ins), the session expiring at ${POINTS.length} different points; ${count(reached)} of them reached the point`,
    ],
    triedFigures: { writes: writes.length, expiryPoints: POINTS.length, expiriesReached: reached, sessionsExpired: stats.expired },
    happened: [`${count(acked)} acked, ${count(failed.length)} failed, ${count(conflicts)} conflicts; ${count(stats.sessionsCreated)} sessions created (the first and one after each expiry); on disk: ${count(verdict.landedOnce)} acked writes exactly once, ${count(verdict.failedButLanded)} told failed but on disk`],
    happenedFigures: { acked, failed: failed.length, conflicts, sessionsCreated: stats.sessionsCreated, landedOnce: verdict.landedOnce, failedButLanded: verdict.failedButLanded },
    lost: verdict.lost,
    duplicated: verdict.duplicated,
    crashed: 0,
    ms: Date.now() - started,
    notes: [...perPoint.slice(0, POINTS.length), ...verdict.examples],
    pass: verdict.lost === 0 && verdict.duplicated === 0 && verdict.failedButLanded === 0 && reached === writes.length,
  })
}
