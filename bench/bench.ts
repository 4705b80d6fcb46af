/**
 * `npm run bench` (issue 14, item 3): what the product costs at three district sizes, measured
 * side by side in one run and printed against its budgets. `npm run -s bench -- --json` prints a
 * JSON copy on stdout (the table then goes to stderr; `-s` keeps npm's own banner off stdout).
 *
 * For each size (bench/sizes.ts: S = the sample, M, L), on a copy of its workbook served by the
 * local server in its own process, behind a loopback proxy that counts every request and byte:
 *   - Graph requests and bytes of a dashboard load (the tab), a task-pane load (persistent
 *     session), a step update in that warm session, and a one-shot `pm-workbook step` against the
 *     drive item URL; and the same four by a naive client (one whole table range per request);
 *   - in Chromium, with 50 ms added to every request at the proxy: the tab until every WIG's
 *     status is counted, the task pane until my steps are listed;
 *   - 20 concurrent writers against that server (group commit) and against one that saves per
 *     write (the server before group commit);
 *   - `pm-workbook status` on the file, and `pm-workbook export`, each in a fresh process.
 * Once: the pages' initial JavaScript (gzipped) and `pm-workbook help`'s start-up.
 *
 * The bench never fails on a budget and never stops on an error: a figure it could not take is
 * null, with the reason in `errors`. It keeps the whole run within 10 minutes on 2 cores by
 * capping runs at L (fewer repeats, capped writes) and skipping what no longer fits, saying so.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { GraphFigures, Op } from './graph-ops.ts'
import type { PageTiming } from './browser-timing.ts'
import type { RunFigure, PageJs } from './processes.ts'
import type { WriteFigures } from './writes.ts'
import type { SizeName } from './sizes.ts'

const JSON_OUTPUT = process.argv.includes('--json')
const say = (line = ''): void => {
  if (JSON_OUTPUT) process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

const STARTED = performance.now()
/** bench.ts's share of the 10 minutes (the build runs before it, ~10–30 s). */
const DEADLINE_MS = 9 * 60_000
const left = (): number => DEADLINE_MS - (performance.now() - STARTED)
const LATENCY_MS = 50
/** `--sizes S,M` runs some sizes only (for working on the bench; the budgets need all three). */
const SIZE_NAMES: readonly SizeName[] = ((): SizeName[] => {
  const at = process.argv.findIndex((a) => a === '--sizes' || a.startsWith('--sizes='))
  const value = at < 0 ? '' : (process.argv[at]?.split('=')[1] ?? process.argv[at + 1] ?? '')
  const picked = value.split(',').map((v) => v.trim().toUpperCase()).filter((v): v is SizeName => v === 'S' || v === 'M' || v === 'L')
  return picked.length > 0 ? (['S', 'M', 'L'] as const).filter((n) => picked.includes(n)) : ['S', 'M', 'L']
})()

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'error'

// ---------------------------------------------------------------- what is collected

type SizeFigures = {
  label: string
  workbookBytes: number | null
  dashboardRoundTrips: number | null
  dashboardBytes: number | null
  dashboardWireBytes: number | null
  taskpaneRoundTrips: number | null
  taskpaneBytes: number | null
  stepUpdateRoundTrips: number | null
  stepUpdateBytes: number | null
  cliUpdateRoundTrips: number | null
  cliUpdateBytes: number | null
  cliUpdateMs: number | null
  naive: { dashboardRoundTrips: number | null; dashboardBytes: number | null; dashboardComplete: boolean; taskpaneRoundTrips: number | null; taskpaneBytes: number | null; stepUpdateRoundTrips: number | null; cliUpdateRoundTrips: number | null }
  /** naive ÷ ours, where both were taken. */
  ratios: { dashboardRoundTrips: number | null; dashboardBytes: number | null; taskpaneRoundTrips: number | null; stepUpdateRoundTrips: number | null; cliUpdateRoundTrips: number | null; writesPerSecond: number | null; writesPerSecondVsWholeSave: number | null }
  dashboardMs: number | null
  dashboardWarmMs: number | null
  dashboardBrowserRoundTrips: number | null
  taskpaneMs: number | null
  taskpaneWarmMs: number | null
  taskpaneBrowserRoundTrips: number | null
  exportMs: number | null
  exportPeakMb: number | null
  exportHtmlMs: number | null
  exportHtmlPeakMb: number | null
  writesPerSecond: number | null
  writeP50Ms: number | null
  writeP95Ms: number | null
  /** Some writes were cut off unanswered: writeP50Ms/writeP95Ms are at least these. */
  writeP95IsLowerBound: boolean
  saveEachWritesPerSecond: number | null
  saveEachP50Ms: number | null
  saveEachP95Ms: number | null
  saveEachP95IsLowerBound: boolean
  /** The server before in-place saves: one whole-workbook save (exceljs) per write, the baseline the issue measured. */
  wholeSaveWritesPerSecond: number | null
  wholeSaveP95Ms: number | null
  fileStatusMs: number | null
  fileStatusPeakMb: number | null
  serverStartMs: number | null
  serverPeakMb: number | null
  errors: string[]
  notes: string[]
}

const emptySize = (label: string): SizeFigures => ({
  label,
  workbookBytes: null,
  dashboardRoundTrips: null,
  dashboardBytes: null,
  dashboardWireBytes: null,
  taskpaneRoundTrips: null,
  taskpaneBytes: null,
  stepUpdateRoundTrips: null,
  stepUpdateBytes: null,
  cliUpdateRoundTrips: null,
  cliUpdateBytes: null,
  cliUpdateMs: null,
  naive: { dashboardRoundTrips: null, dashboardBytes: null, dashboardComplete: false, taskpaneRoundTrips: null, taskpaneBytes: null, stepUpdateRoundTrips: null, cliUpdateRoundTrips: null },
  ratios: { dashboardRoundTrips: null, dashboardBytes: null, taskpaneRoundTrips: null, stepUpdateRoundTrips: null, cliUpdateRoundTrips: null, writesPerSecond: null, writesPerSecondVsWholeSave: null },
  dashboardMs: null,
  dashboardWarmMs: null,
  dashboardBrowserRoundTrips: null,
  taskpaneMs: null,
  taskpaneWarmMs: null,
  taskpaneBrowserRoundTrips: null,
  exportMs: null,
  exportPeakMb: null,
  exportHtmlMs: null,
  exportHtmlPeakMb: null,
  writesPerSecond: null,
  writeP50Ms: null,
  writeP95Ms: null,
  writeP95IsLowerBound: false,
  saveEachWritesPerSecond: null,
  saveEachP50Ms: null,
  saveEachP95Ms: null,
  saveEachP95IsLowerBound: false,
  wholeSaveWritesPerSecond: null,
  wholeSaveP95Ms: null,
  fileStatusMs: null,
  fileStatusPeakMb: null,
  serverStartMs: null,
  serverPeakMb: null,
  errors: [],
  notes: [],
})

const sizes = {} as Record<SizeName, SizeFigures>
const graphDetail: Partial<Record<SizeName, GraphFigures>> = {}
const browserDetail: Partial<Record<SizeName, { tab?: PageTiming; taskpane?: PageTiming }>> = {}
const writeDetail: Partial<Record<SizeName, { groupCommit: WriteFigures | null; savePerWrite: WriteFigures | null; wholeSave?: WriteFigures | null }>> = {}
const topErrors: string[] = []
// The bench never crashes: a stray failure (a socket, a child) is reported and the run goes on.
process.on('uncaughtException', (e) => topErrors.push(`unexpected: ${describe(e)}`))
process.on('unhandledRejection', (e) => topErrors.push(`unexpected: ${describe(e)}`))
const phases: { name: string; ms: number }[] = []
let pageJs: PageJs[] = []
let cliStart: RunFigure | null = null
let today = ''

async function phase<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
  const t = performance.now()
  try {
    return await work()
  } catch (e) {
    topErrors.push(`${name}: ${describe(e)}`)
    return undefined
  } finally {
    phases.push({ name, ms: performance.now() - t })
    say(`  … ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  }
}

/** Whether `needMs` still fits in the 10 minutes; if not, the reason goes to `errors` under each key. */
function fits(size: SizeFigures, needMs: number, keys: readonly string[]): boolean {
  if (left() >= needMs) return true
  for (const key of keys) size.errors.push(`${key}: skipped to keep the bench within 10 minutes (${Math.max(0, Math.round(left() / 1000))} s left, ~${Math.round(needMs / 1000)} s needed)`)
  return false
}

// ---------------------------------------------------------------- per size

/** Where generated workbooks are kept between runs; PMW_BENCH_CACHE=<dir> measures a first run without emptying the shared cache. */
async function cacheDir(): Promise<string> {
  return process.env.PMW_BENCH_CACHE ?? (await import('./sizes.ts')).BENCH_CACHE
}

/** Repeats and caps per size: L is measured once where a run takes tens of seconds. */
const PLAN: Record<SizeName, { statusRuns: number; exportRuns: number; html: boolean; warmBrowser: boolean; browserTimeoutMs: number; groupCommit: { perWriter: number; capMs: number; cutOffMs: number }; savePerWrite: { perWriter: number; capMs: number; cutOffMs: number } }> = {
  S: { statusRuns: 3, exportRuns: 2, html: false, warmBrowser: false, browserTimeoutMs: 60_000, groupCommit: { perWriter: 5, capMs: 15_000, cutOffMs: 40_000 }, savePerWrite: { perWriter: 5, capMs: 10_000, cutOffMs: 15_000 } },
  M: { statusRuns: 2, exportRuns: 2, html: true, warmBrowser: true, browserTimeoutMs: 60_000, groupCommit: { perWriter: 5, capMs: 15_000, cutOffMs: 40_000 }, savePerWrite: { perWriter: 5, capMs: 10_000, cutOffMs: 15_000 } },
  L: { statusRuns: 1, exportRuns: 1, html: false, warmBrowser: false, browserTimeoutMs: 150_000, groupCommit: { perWriter: 3, capMs: 15_000, cutOffMs: 30_000 }, savePerWrite: { perWriter: 1, capMs: 5_000, cutOffMs: 10_000 } },
}

const opOk = (op: Op): boolean => op.error === undefined
const ratio = (naive: number | null, ours: number | null): number | null => (naive !== null && ours !== null && ours > 0 ? naive / ours : null)

function takeGraph(size: SizeFigures, g: GraphFigures): void {
  const { ours, naive } = g
  const put = (key: string, op: Op): void => {
    if (op.error) size.errors.push(`${key}: ${op.error}`)
  }
  if (opOk(ours.dashboard)) {
    size.dashboardRoundTrips = ours.dashboard.requests
    size.dashboardBytes = ours.dashboard.bodyBytes
    size.dashboardWireBytes = ours.dashboard.wireBytes
  } else put('dashboardRoundTrips', ours.dashboard)
  if (opOk(ours.taskpane)) {
    size.taskpaneRoundTrips = ours.taskpane.requests
    size.taskpaneBytes = ours.taskpane.bodyBytes
  } else put('taskpaneRoundTrips', ours.taskpane)
  if (opOk(ours.stepUpdate)) {
    size.stepUpdateRoundTrips = ours.stepUpdate.requests
    size.stepUpdateBytes = ours.stepUpdate.bodyBytes
  } else put('stepUpdateRoundTrips', ours.stepUpdate)
  if (opOk(ours.cliUpdate)) {
    size.cliUpdateRoundTrips = ours.cliUpdate.requests
    size.cliUpdateBytes = ours.cliUpdate.bodyBytes
    size.cliUpdateMs = ours.cliUpdate.ms
  } else put('cliUpdateRoundTrips', ours.cliUpdate)
  // The naive client's requests count even when the service refused it part way: that is what it sent.
  size.naive = {
    dashboardRoundTrips: naive.dashboard.requests,
    dashboardBytes: naive.dashboard.bodyBytes,
    dashboardComplete: opOk(naive.dashboard),
    taskpaneRoundTrips: naive.taskpane.requests,
    taskpaneBytes: naive.taskpane.bodyBytes,
    stepUpdateRoundTrips: opOk(naive.stepUpdate) ? naive.stepUpdate.requests : null,
    cliUpdateRoundTrips: opOk(naive.cliUpdate) ? naive.cliUpdate.requests : null,
  }
  for (const [what, op] of [['dashboard load', ours.dashboard], ['task-pane load', ours.taskpane], ['step update', ours.stepUpdate], ['pm-workbook step', ours.cliUpdate]] as const) {
    if (op.largestBodyBytes > 5 * 1024 * 1024) size.notes.push(`${what}: one response carried ${(op.largestBodyBytes / 1024 / 1024).toFixed(1)} MB of JSON (a $batch whose parts are each within 5 MB; the local server does not limit the envelope, src/server/DIFFERENCES.md)`)
    if (op.abandoned > 0) size.notes.push(`${what}: ${op.abandoned} of its ${op.requests} requests given up by the client (its 30 s timeout) before the server answered, then sent again; counted`)
  }
  if (!opOk(naive.dashboard)) size.notes.push(`naive dashboard load fails: ${naive.dashboard.error}`)
  if (!opOk(naive.stepUpdate)) size.notes.push(`naive step update fails: ${naive.stepUpdate.error}`)
  if (!opOk(naive.cliUpdate)) size.notes.push(`naive CLI update fails: ${naive.cliUpdate.error}`)
  size.ratios.dashboardRoundTrips = ratio(naive.dashboard.requests, size.dashboardRoundTrips)
  size.ratios.dashboardBytes = opOk(naive.dashboard) ? ratio(naive.dashboard.bodyBytes, size.dashboardBytes) : null
  size.ratios.taskpaneRoundTrips = ratio(naive.taskpane.requests, size.taskpaneRoundTrips)
  size.ratios.stepUpdateRoundTrips = ratio(size.naive.stepUpdateRoundTrips, size.stepUpdateRoundTrips)
  size.ratios.cliUpdateRoundTrips = ratio(size.naive.cliUpdateRoundTrips, size.cliUpdateRoundTrips)
}

function takeBrowser(name: SizeName, size: SizeFigures, which: 'dashboard' | 'taskpane', t: PageTiming): void {
  browserDetail[name] = { ...browserDetail[name], [which === 'dashboard' ? 'tab' : 'taskpane']: t }
  if (which === 'dashboard') {
    size.dashboardMs = t.ms
    size.dashboardWarmMs = t.warmMs
    size.dashboardBrowserRoundTrips = t.graph?.requests ?? null
  } else {
    size.taskpaneMs = t.ms
    size.taskpaneWarmMs = t.warmMs
    size.taskpaneBrowserRoundTrips = t.graph?.requests ?? null
  }
  if (t.error) size.errors.push(`${which}Ms: ${t.error}`)
}

async function benchSize(name: SizeName, dir: string): Promise<void> {
  const { SIZES, sizedWorkbook } = await import('./sizes.ts')
  const size = (sizes[name] = emptySize(SIZES[name].label))
  const plan = PLAN[name]
  say()
  say(`${name}: ${SIZES[name].label}`)
  const workbook = await phase(`${name}: generate (or reuse) the workbook`, async () => sizedWorkbook(name, today as never, await cacheDir()))
  if (!workbook) {
    size.errors.push('every figure: the workbook could not be generated (see errors)')
    return
  }
  size.workbookBytes = statSync(workbook).size
  const processes = await import('./processes.ts')

  // 1. `status` on the file backend, in a fresh process.
  if (fits(size, name === 'L' ? 60_000 : 15_000, ['fileStatusMs', 'fileStatusPeakMb'])) {
    await phase(`${name}: pm-workbook status on the file (${plan.statusRuns} run${plan.statusRuns > 1 ? 's' : ''})`, async () => {
      const f = await processes.timeCli(['status', workbook, '--as-of', today], { dir, runs: plan.statusRuns, timeoutMs: Math.min(150_000, Math.max(10_000, left() - 60_000)), okCodes: [0, 1], best: true })
      size.fileStatusMs = f.ms
      size.fileStatusPeakMb = f.peakMb
      if (f.error) size.errors.push(`fileStatusMs: ${f.error}`)
    })
  }

  // 2. The served workbook: Graph counts, the pages in Chromium, group-commit writes.
  const { startServerProcess } = await import('./server-process.ts')
  const { startCountingProxy } = await import('./proxy.ts')
  const served = join(dir, `${name}-served.xlsx`)
  copyFileSync(workbook, served)
  if (fits(size, name === 'L' ? 120_000 : 30_000, ['dashboardRoundTrips', 'dashboardMs', 'taskpaneMs', 'writesPerSecond'])) {
    const server = await phase(`${name}: start the local server`, () => startServerProcess({ workbook: served, staticDir: dist, groupCommit: true }))
    if (!server) size.errors.push('dashboardRoundTrips, dashboardMs, taskpaneMs, writesPerSecond: the local server did not start (see errors)')
    else {
      size.serverStartMs = server.startMs
      const proxy = await startCountingProxy({ origin: server.origin }, 0)
      try {
        const graph = await phase(`${name}: Graph requests, ours and naive`, async () => {
          const { measureGraph } = await import('./graph-ops.ts')
          return measureGraph(proxy, server.driveItemId, today as never, join(dist, 'cli.mjs'))
        })
        if (graph) {
          graphDetail[name] = graph
          takeGraph(size, graph)
        } else size.errors.push('dashboardRoundTrips: the Graph phase failed (see errors)')

        const browser = await import('./browser-timing.ts').catch((e: unknown) => {
          size.errors.push(`dashboardMs, taskpaneMs: cannot load playwright-core: ${describe(e)}`)
          return null
        })
        proxy.latencyMs = LATENCY_MS
        if (browser && graph?.wigCount != null && fits(size, name === 'L' ? 60_000 : 20_000, ['dashboardMs'])) {
          const wigs = graph.wigCount
          const t = await phase(`${name}: the tab in Chromium`, () => browser.timeTab(proxy, today, wigs, { warm: plan.warmBrowser, timeoutMs: Math.min(plan.browserTimeoutMs, Math.max(15_000, left() - 60_000)) }))
          if (t) takeBrowser(name, size, 'dashboard', t)
        } else if (browser && graph?.wigCount == null) size.errors.push('dashboardMs: no WIG count to wait for (the Graph dashboard load failed)')
        if (browser && graph?.paneOwner && fits(size, name === 'L' ? 60_000 : 20_000, ['taskpaneMs'])) {
          const owner = graph.paneOwner
          const t = await phase(`${name}: the task pane in Chromium`, () => browser.timeTaskpane(proxy, owner, { warm: plan.warmBrowser, timeoutMs: Math.min(plan.browserTimeoutMs, Math.max(15_000, left() - 60_000)) }))
          if (t) takeBrowser(name, size, 'taskpane', t)
        } else if (browser && !graph?.paneOwner) size.errors.push('taskpaneMs: no owner with open steps to open the pane as')
        proxy.latencyMs = 0

        if (fits(size, name === 'L' ? 90_000 : 40_000, ['writesPerSecond', 'writeP95Ms'])) {
          const { measureWrites } = await import('./writes.ts')
          const w = await phase(`${name}: 20 writers, group commit`, () => measureWrites(server, plan.groupCommit))
          if (w) {
            writeDetail[name] = { groupCommit: w, savePerWrite: null }
            if (w.error) size.errors.push(`writesPerSecond: ${w.error}`)
            else {
              size.writesPerSecond = w.writesPerSecond
              size.writeP50Ms = w.p50Ms
              size.writeP95Ms = w.p95Ms
              size.writeP95IsLowerBound = w.lowerBound
              if (w.lowerBound) size.notes.push(`group commit: ${w.cutOff} writes cut off at ${plan.groupCommit.cutOffMs / 1000} s; p50/p95 are lower bounds`)
            }
          }
        }
      } finally {
        await proxy.close()
        const stopped = await server.stop()
        size.serverPeakMb = stopped.maxRssMb
      }
    }
  }

  // 3. The baselines, one save per write (groupCommit: false): saving in place, and saving the
  // whole workbook as the server did before (editInPlace: false), the baseline the issue
  // measured; not at L, where one whole save takes longer than the cut-off.
  const baselineWrites = async (label: string, file: string, editInPlace: boolean): Promise<WriteFigures | undefined> => {
    const baseline = join(dir, `${name}-${file}.xlsx`)
    copyFileSync(workbook, baseline)
    return phase(`${name}: 20 writers, ${label}`, async () => {
      const server = await startServerProcess({ workbook: baseline, groupCommit: false, editInPlace })
      try {
        const { measureWrites } = await import('./writes.ts')
        const w = await measureWrites(server, plan.savePerWrite)
        if (w.lowerBound) size.notes.push(`${label}: ${w.completed} of ${w.completed + w.cutOff + w.failed} writes answered before the ${plan.savePerWrite.cutOffMs / 1000} s cut-off (no write started after ${plan.savePerWrite.capMs / 1000} s); p50/p95 are lower bounds`)
        return w
      } finally {
        await server.stop()
      }
    })
  }
  const perWrite = (w: WriteFigures): number | null => (size.writesPerSecond !== null && w.writesPerSecond > 0 ? size.writesPerSecond / w.writesPerSecond : null)
  if (fits(size, name === 'L' ? 90_000 : 40_000, ['saveEachWritesPerSecond'])) {
    const w = await baselineWrites('save per write', 'save-per-write', true)
    if (w) {
      writeDetail[name] = { groupCommit: writeDetail[name]?.groupCommit ?? null, savePerWrite: w }
      if (w.error) size.errors.push(`saveEachWritesPerSecond: ${w.error}`)
      else {
        size.saveEachWritesPerSecond = w.writesPerSecond
        size.saveEachP50Ms = w.p50Ms
        size.saveEachP95Ms = w.p95Ms
        size.saveEachP95IsLowerBound = w.lowerBound
        size.ratios.writesPerSecond = perWrite(w)
      }
    }
  }
  if (name !== 'L' && fits(size, 40_000, ['wholeSaveWritesPerSecond'])) {
    const w = await baselineWrites('whole-workbook save per write', 'whole-save-per-write', false)
    if (w) {
      writeDetail[name] = { groupCommit: writeDetail[name]?.groupCommit ?? null, savePerWrite: writeDetail[name]?.savePerWrite ?? null, wholeSave: w }
      if (w.error) size.errors.push(`wholeSaveWritesPerSecond: ${w.error}`)
      else {
        size.wholeSaveWritesPerSecond = w.writesPerSecond
        size.wholeSaveP95Ms = w.p95Ms
        size.ratios.writesPerSecondVsWholeSave = perWrite(w)
      }
    }
  }

  // 4. The board export, in a fresh process.
  if (fits(size, name === 'L' ? 90_000 : 20_000, ['exportMs', 'exportPeakMb'])) {
    await phase(`${name}: pm-workbook export .xlsx (${plan.exportRuns} run${plan.exportRuns > 1 ? 's' : ''})`, async () => {
      const f = await processes.timeCli(['export', workbook, '--out', join(dir, `${name}-board.xlsx`), '--as-of', today], { dir, runs: plan.exportRuns, timeoutMs: Math.min(180_000, Math.max(10_000, left() - 20_000)), best: true })
      size.exportMs = f.ms
      size.exportPeakMb = f.peakMb
      if (f.error) size.errors.push(`exportMs: ${f.error}`)
    })
  }
  if (plan.html && fits(size, 20_000, ['exportHtmlMs'])) {
    await phase(`${name}: pm-workbook export .html (1 run)`, async () => {
      const f = await processes.timeCli(['export', workbook, '--out', join(dir, `${name}-report.html`), '--as-of', today], { dir, runs: 1, timeoutMs: 120_000 })
      size.exportHtmlMs = f.ms
      size.exportHtmlPeakMb = f.peakMb
      if (f.error) size.errors.push(`exportHtmlMs: ${f.error}`)
    })
  }
}

// ---------------------------------------------------------------- budgets

type Budget = { what: string; size: SizeName | null; value: number | null; limit: string; pass: boolean | null }
const budgets: Budget[] = []

function judge(): void {
  const check = (what: string, size: SizeName | null, value: number | null, limit: string, ok: (v: number) => boolean): void => {
    budgets.push({ what, size, value, limit, pass: value === null ? null : ok(value) })
  }
  for (const name of SIZE_NAMES) {
    const s = sizes[name]
    if (!s) continue
    check('requests per dashboard load', name, s.dashboardRoundTrips, '≤ 3', (v) => v <= 3)
    check('round trips per step update, warm session', name, s.stepUpdateRoundTrips, '≤ 2', (v) => v <= 2)
  }
  const M = sizes.M
  const L = sizes.L
  check('dashboard in Chromium, 50 ms/request (ms)', 'M', M?.dashboardMs ?? null, '< 1,500', (v) => v < 1500)
  for (const p of ['tab', 'taskpane'] as const) {
    const f = pageJs.find((j) => j.page === `${p}.html`)
    check(`initial JS of ${p}.html (KB gz)`, null, f && !('error' in f) ? f.gzipBytes / 1024 : null, '< 250', (v) => v < 250)
  }
  check('export .xlsx (ms)', 'M', M?.exportMs ?? null, '< 3,000', (v) => v < 3000)
  check('export .xlsx peak memory (MB)', 'M', M?.exportPeakMb ?? null, '< 400', (v) => v < 400)
  check('server writes/s, 20 writers', 'M', M?.writesPerSecond ?? null, '≥ 20', (v) => v >= 20)
  check('server write p95 (ms)', 'M', M?.writeP95Ms ?? null, '< 500', (v) => v < 500)
  check('group commit ÷ save per write', 'M', M?.ratios.writesPerSecond ?? null, '≥ 10×', (v) => v >= 10)
  check('group commit ÷ whole-workbook save per write', 'M', M?.ratios.writesPerSecondVsWholeSave ?? null, '≥ 10×', (v) => v >= 10)
  check('file status (ms)', 'L', L?.fileStatusMs ?? null, '< 3,000', (v) => v < 3000)
  check('file status peak memory (MB)', 'L', L?.fileStatusPeakMb ?? null, '< 300', (v) => v < 300)
}

const verdict = (b: Budget | undefined): string => (b === undefined ? '' : b.pass === null ? '[n/a]' : b.pass ? `[pass ${b.limit}]` : `[FAIL ${b.limit}]`)
const budgetFor = (what: string, size: SizeName | null): Budget | undefined => budgets.find((b) => b.what === what && b.size === size)

// ---------------------------------------------------------------- printing

const n0 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en-US'))
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${n0(v)} ms`)
const mb = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${n0(v)} MB`)
const kb = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MB` : v >= 1024 ? `${(v / 1024).toFixed(1)} kB` : `${v} B`)
const x = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×`)

function table(headers: string[], body: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)]
}

function printSize(name: SizeName): void {
  const s = sizes[name]
  if (!s) return
  const g = graphDetail[name]
  say()
  say(`${name}: ${s.label}; workbook ${kb(s.workbookBytes)}; server start ${ms(s.serverStartMs)}, server peak ${mb(s.serverPeakMb)}`)
  if (g) {
    const row = (what: string, ours: Op, naive: Op, budget: string): string[] => [
      what,
      ours.error ? 'failed' : String(ours.requests),
      ours.error ? '' : String(ours.subRequests),
      ours.error ? '' : kb(ours.bodyBytes),
      ours.error ? '' : kb(ours.wireBytes),
      ours.error ? '' : ms(ours.ms),
      ours.error ? '' : ms(ours.serverMs),
      `${naive.requests}${naive.error ? '*' : ''}`,
      naive.error ? '' : kb(naive.bodyBytes),
      ours.error || (naive.error && !naive.sentAll) ? '' : x(ratio(naive.requests, ours.requests)),
      ours.error || naive.error ? '' : x(ratio(naive.bodyBytes, ours.bodyBytes)),
      budget,
    ]
    const lines = table(
      ['Graph, counted at the proxy', 'requests', 'in $batch', 'JSON', 'on wire', 'time', 'server', 'naive req', 'naive JSON', 'req ratio', 'byte ratio', 'budget'],
      [
        row('dashboard load (tab)', g.ours.dashboard, g.naive.dashboard, verdict(budgetFor('requests per dashboard load', name))),
        row('task-pane load (session)', g.ours.taskpane, g.naive.taskpane, ''),
        row('step update, warm session', g.ours.stepUpdate, g.naive.stepUpdate, verdict(budgetFor('round trips per step update, warm session', name))),
        row('pm-workbook step (one-shot)', g.ours.cliUpdate, g.naive.cliUpdate, ''),
      ],
    )
    for (const l of lines) say(`  ${l}`)
    say('  (JSON = response bodies decoded; on wire = as sent, gzip; time = the whole operation, no added latency; server = its requests\'')
    say('   time at the server; naive = one whole table range per request, no $batch, no $select; * = refused part way, see notes;')
    say('   ratio = naive ÷ ours, shown where the naive client sent its whole pattern)')
  }
  const b = browserDetail[name]
  const server = (t: PageTiming | undefined): string => {
    const d = t?.breakdown
    const parts = [d ? `page ${ms(d.documentMs)}, scripts by ${ms(d.scriptsMs)}` : '', d?.graphStartMs != null ? `Graph ${ms(d.graphStartMs)}–${ms(d.graphEndMs)}` : '', t?.graph ? `the server ${ms(t.graph.serverMs)}` : '']
    return parts.some((p) => p !== '') ? ` (${parts.filter((p) => p !== '').join(', ')})` : ''
  }
  say(`  Chromium, ${LATENCY_MS} ms added per request: the tab until every WIG's status is counted ${ms(s.dashboardMs)}${s.dashboardWarmMs !== null ? ` (again, warm cache: ${ms(s.dashboardWarmMs)})` : ''}, ${n0(s.dashboardBrowserRoundTrips)} Graph requests${server(b?.tab)} ${name === 'M' ? verdict(budgetFor('dashboard in Chromium, 50 ms/request (ms)', 'M')) : ''}`)
  say(`    the task pane until my steps are listed ${ms(s.taskpaneMs)}${s.taskpaneWarmMs !== null ? ` (again: ${ms(s.taskpaneWarmMs)})` : ''}, ${n0(s.taskpaneBrowserRoundTrips)} Graph requests${server(b?.taskpane)}`)
  const w = writeDetail[name]
  const writes = (f: WriteFigures | null | undefined): string =>
    !f ? '—' : f.error ? `error: ${f.error}` : `${f.writesPerSecond.toFixed(1)} writes/s, p50 ${f.lowerBound ? '≥' : ''}${n0(f.p50Ms)} ms, p95 ${f.lowerBound ? '≥' : ''}${n0(f.p95Ms)} ms (${f.completed} written${f.failed ? `, ${f.failed} failed` : ''}${f.cutOff ? `, ${f.cutOff} cut off` : ''}, ${f.saves ?? '?'} saves, ${(f.ms / 1000).toFixed(1)} s)`
  say(`  Server writes, 20 concurrent writers: group commit ${writes(w?.groupCommit)}${name === 'M' ? ` ${verdict(budgetFor('server writes/s, 20 writers', 'M'))} ${verdict(budgetFor('server write p95 (ms)', 'M'))}` : ''}`)
  say(`    save per write (in place) ${writes(w?.savePerWrite)}; group commit ÷ save per write ${x(s.ratios.writesPerSecond)} ${name === 'M' ? verdict(budgetFor('group commit ÷ save per write', 'M')) : ''}`)
  if (w?.wholeSave) say(`    whole-workbook save per write (the server before in-place saves) ${writes(w.wholeSave)}; group commit ÷ that ${x(s.ratios.writesPerSecondVsWholeSave)} ${name === 'M' ? verdict(budgetFor('group commit ÷ whole-workbook save per write', 'M')) : ''}`)
  say(`  pm-workbook status on the file (best of ${PLAN[name].statusRuns}): ${ms(s.fileStatusMs)}, peak ${mb(s.fileStatusPeakMb)} ${name === 'L' ? `${verdict(budgetFor('file status (ms)', 'L'))} ${verdict(budgetFor('file status peak memory (MB)', 'L'))}` : ''}`)
  say(`  pm-workbook export (best of ${PLAN[name].exportRuns}): .xlsx ${ms(s.exportMs)}, peak ${mb(s.exportPeakMb)} ${name === 'M' ? `${verdict(budgetFor('export .xlsx (ms)', 'M'))} ${verdict(budgetFor('export .xlsx peak memory (MB)', 'M'))}` : ''}${s.exportHtmlMs !== null ? `; .html ${ms(s.exportHtmlMs)}, peak ${mb(s.exportHtmlPeakMb)}` : ''}`)
  for (const n of s.notes) say(`  note: ${n}`)
  for (const e of s.errors) say(`  error: ${e}`)
}

function printReport(totalMs: number): void {
  say()
  say('='.repeat(100))
  say(`pm-workbook bench, ${new Date().toISOString()}, as of ${today}, node ${process.version}, ${availableParallelism()} cores`)
  say()
  for (const f of pageJs) {
    if ('error' in f) say(`Initial JavaScript of ${f.page}: ${f.error}`)
    else say(`Initial JavaScript of ${f.page}: ${f.files} files, ${kb(f.bytes)} minified, ${(f.gzipBytes / 1024).toFixed(1)} KB gzipped ${verdict(budgetFor(`initial JS of ${f.page.replace('.html', '')}.html (KB gz)`, null))}`)
  }
  say(`CLI start-up, pm-workbook help (node dist/cli.mjs, fresh process, median of ${cliStart?.runs ?? 0} after a warm-up): ${cliStart?.error ? `error: ${cliStart.error}` : ms(cliStart?.ms)}`)
  for (const name of SIZE_NAMES) printSize(name)
  say()
  say('Budgets')
  for (const l of table(
    ['budget', 'size', 'figure', 'limit', 'verdict'],
    budgets.map((b) => [b.what, b.size ?? '', b.value === null ? '—' : b.value < 10 ? b.value.toFixed(1) : n0(b.value), b.limit, b.pass === null ? 'not measured' : b.pass ? 'pass' : 'FAIL']),
  ))
    say(`  ${l}`)
  say()
  say(`Phases (s): ${phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(1)}`).join('; ')}`)
  say(`Whole bench: ${(totalMs / 1000).toFixed(1)} s (the build before it not included).`)
  for (const e of topErrors) say(`error: ${e}`)
}

// ---------------------------------------------------------------- the run

const dir = mkdtempSync(join(tmpdir(), 'pmw-bench-'))
/**
 * The bench's own copy of the build, inside the checkout so dist/cli.mjs still finds
 * node_modules and package.json: another build in this checkout (npm test, npm start) empties
 * dist/ and would pull the pages and the CLI from under a running bench.
 */
const REPO = join(import.meta.dirname, '..')
const dist = join(REPO, 'node_modules', '.cache', 'pm-workbook-bench', `dist-${process.pid}`)
try {
  if (existsSync(join(REPO, 'dist', 'cli.mjs'))) {
    mkdirSync(dist, { recursive: true })
    cpSync(join(REPO, 'dist'), dist, { recursive: true, filter: (from) => !from.includes(`${join('dist', 'package')}`) })
  } else topErrors.push('dist/ holds no build: run `npm run bench`, which builds the pages and the CLI first')
  const { todayIso } = await import('../src/domain/dates.ts')
  today = todayIso()
  say(`pm-workbook bench: sizes ${SIZE_NAMES.join(', ')} as of ${today}, ${availableParallelism()} cores; progress:`)
  const processes = await phase('load the bench modules', () => import('./processes.ts'))
  if (processes) {
    processes.useDist(dist)
    pageJs = ['tab.html', 'taskpane.html', 'index.html'].map((p) => processes.measurePageJs(p))
    for (const f of pageJs) if ('error' in f) topErrors.push(`initialJsKbGz.${f.page.replace('.html', '')}: ${f.error}`)
    // First, on a machine the bench's own servers do not yet load.
    cliStart = (await phase('pm-workbook help (1 + 5 runs)', () => processes.timeCli(['help'], { dir, runs: 5, timeoutMs: 30_000, warmup: true }))) ?? null
    if (cliStart?.error) topErrors.push(`cliStartMs: ${cliStart.error}`)
  }
  // Generate every size first (cached between runs): a clean clone pays for L here, once.
  await phase('generate (or reuse) S, M and L', async () => {
    const { sizedWorkbook } = await import('./sizes.ts')
    for (const name of SIZE_NAMES) {
      const t = performance.now()
      await sizedWorkbook(name, today as never, await cacheDir())
      say(`    ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`)
    }
  })
  for (const name of SIZE_NAMES) {
    try {
      await benchSize(name, dir)
    } catch (e) {
      ;(sizes[name] ??= emptySize(name)).errors.push(`the size's run stopped: ${describe(e)}`)
    }
  }
} catch (e) {
  topErrors.push(`the bench stopped early: ${describe(e)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
  rmSync(dist, { recursive: true, force: true })
}
const totalMs = performance.now() - STARTED
judge()
printReport(totalMs)

if (JSON_OUTPUT) {
  const kbOf = (page: string): number | null => {
    const f = pageJs.find((j) => j.page === page)
    return f && !('error' in f) ? Math.round((f.gzipBytes / 1024) * 10) / 10 : null
  }
  const round = (v: unknown): unknown =>
    typeof v === 'number' ? Math.round(v * 10) / 10 : Array.isArray(v) ? v.map(round) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, e]) => [k, round(e)])) : v
  process.stdout.write(
    `${JSON.stringify(
      round({
        sizes: Object.fromEntries(SIZE_NAMES.map((n) => [n, sizes[n]])),
        initialJsKbGz: { tab: kbOf('tab.html'), taskpane: kbOf('taskpane.html') },
        cliStartMs: cliStart?.ms ?? null,
        budgets,
        errors: topErrors,
        latencyMs: LATENCY_MS,
        asOf: today,
        node: process.version,
        cores: availableParallelism(),
        phases,
        totalMs,
        detail: { graph: graphDetail, browser: browserDetail, writes: writeDetail, initialJs: pageJs },
      }),
      null,
      2,
    )}\n`,
  )
}
// Figures, not verdicts: a missed budget is marked above, never an exit code.
process.exitCode = 0
// A child, socket or page left behind must not hold the bench open.
setTimeout(() => process.exit(0), 2_000).unref()
