/**
 * `npm run bench` (`npm run bench -- --json` for a machine-readable copy on stdout, the table
 * then going to stderr): what the product's three Graph operations cost, measured, never
 * asserted in unit tests.
 *
 * For two workbooks, the sample district and the same district at scale (40,000 check-ins,
 * 6,000 action steps), each served by the local Graph-compatible server, and for each operation
 *   - status:  loadPlan through the Graph client,
 *   - step:    updateStep of one existing step's status, through a fresh client (a one-shot CLI),
 *   - checkin: logCheckIn through a fresh client,
 * it counts HTTP requests, response bytes (uncompressed bodies as the client receives them),
 * request bytes and time, through a counting `fetch` handed to the client. The same figures
 * are taken for "before": the previous version's request pattern replayed with raw fetch calls
 * (no client code). Budgets are printed and misses marked; the bench itself never fails on one.
 *
 * First, for each page `vite build` put in dist/ (index, tab, taskpane), its initial JavaScript,
 * minified as built and gzipped, against the Teams tab's budget (issue 10).
 *
 * Then the board export (issue 12): `pm-workbook export` to .xlsx and to .html, each in a fresh
 * node process running dist/cli.mjs, its time and peak memory (maxRSS), on the sample and on a
 * district of 200 WIGs, 5,000 action steps and 20,000 check-ins.
 *
 * The app and Graph client modules are imported dynamically: while they are being rewritten,
 * a broken import or a failing call shows up as an error in its row and the bench goes on.
 */
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { noToken } from '../src/auth/tokens.ts'
import { todayIso, type IsoDate } from '../src/domain/dates.ts'
import { sampleDistrict } from '../src/sample/district.ts'
import { writeScaledSampleWorkbook } from '../src/sample/scale.ts'
import { writeSampleWorkbook } from '../src/sample/write.ts'
import type { TableName } from '../src/workbook/contract.ts'
import { openFileStore } from '../src/workbook/file/file-store.ts'

type GraphStoreModule = typeof import('../src/workbook/graph/store/graph-store.ts')
type ServerModule = typeof import('../src/server/server.ts')
type RunningServer = Awaited<ReturnType<ServerModule['startServer']>>
type App = {
  loadPlan: (typeof import('../src/app/load-plan.ts'))['loadPlan']
  updateStep: (typeof import('../src/app/update-step.ts'))['updateStep']
  readSeen: (typeof import('../src/app/seen.ts'))['readSeen']
  logCheckIn: (typeof import('../src/app/log-checkin.ts'))['logCheckIn']
  statusReport: (typeof import('../src/app/status-report.ts'))['statusReport']
}

const JSON_OUTPUT = process.argv.includes('--json')
/** The readable table goes to stdout, or to stderr when stdout carries the JSON copy. */
const say = (line = ''): void => {
  if (JSON_OUTPUT) process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

const SCALE = { checkIns: 40_000, steps: 6_000 } as const
const PLAN_TABLES: readonly TableName[] = ['Strategies', 'WIGs', 'Measures', 'CheckIns', 'ActionSteps', 'People', 'Settings']
// A person in the sample's People table: writes by anyone else are refused.
const BY = 'priya.ramanathan@riverbend.example'
const SOURCE = 'bench'

/** Budgets: requests per operation (the client), bytes of the status read at scale against the reference. */
const REQUEST_BUDGET: Record<Operation, number> = { status: 3, step: 5, checkin: 4 }
const STATUS_BYTES_FACTOR = 1.5
/** Time budgets the bench has always had, for the sample through the client (ms). */
const SAMPLE_TIME_BUDGET: Partial<Record<Operation, number>> = { status: 500, step: 750 }
const FILE_STATUS_BUDGET_MS = 500

type Operation = 'status' | 'step' | 'checkin'
type Version = 'before' | 'after'
type WorkbookKind = 'sample' | 'scaled'

// ---------------------------------------------------------------- counting

type Counter = { requests: number; requestBytes: number; responseBytes: number }
type FetchLike = (url: string, init: RequestInit) => Promise<Response>

const newCounter = (): Counter => ({ requests: 0, requestBytes: 0, responseBytes: 0 })

async function bodyBytes(body: RequestInit['body']): Promise<number> {
  if (body === undefined || body === null) return 0
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8')
  if (body instanceof ArrayBuffer) return body.byteLength
  if (ArrayBuffer.isView(body)) return body.byteLength
  if (body instanceof Blob) return body.size
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString(), 'utf8')
  // A stream or form data: read a copy the way fetch would send it.
  return (await new Response(body).arrayBuffer()).byteLength
}

/** A fetch that counts each round trip, its request body and its response body (read from a clone). */
function countingFetch(counter: Counter): FetchLike {
  return async (url, init) => {
    counter.requests += 1
    counter.requestBytes += await bodyBytes(init.body)
    const response = await fetch(url, init)
    counter.responseBytes += (await response.clone().arrayBuffer()).byteLength
    return response
  }
}

// ---------------------------------------------------------------- results

type Measured = Counter & { ms: number; error?: string; note?: string }
type Check = { name: string; value: number; budget: number; unit: string; ok: boolean }
type ResultRow = Measured & { workbook: WorkbookKind; operation: Operation; version: Version; runs: number; checks: Check[] }

const rows: ResultRow[] = []
const fileFigures: { name: string; ms: number | null; budget: number | null; error?: string; note?: string }[] = []
const references: Partial<Record<WorkbookKind, { bytes: number; method: string; error?: string }>> = {}
const setup: Record<string, number | string> = {}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`.split('\n')[0] ?? 'error'
  return String(error)
}

/** Longest one run of one operation may take before it is reported as timed out and the bench goes on. */
const RUN_TIMEOUT_MS = 90_000
let somethingHung = false

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      somethingHung = true
      reject(new Error(`${what} timed out after ${ms / 1000} s`))
    }, ms)
  })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

/**
 * Runs `work` `runs` times, each with a fresh counter; the figures are those of the first run
 * (a later run moving different bytes is noted), the time is the median. A run that fails ends
 * the series: its figures so far and its error are reported.
 */
async function measure(runs: number, work: (fetch: FetchLike, run: number) => Promise<string | undefined>): Promise<Measured & { runs: number }> {
  const times: number[] = []
  let first: Counter | null = null
  let note: string | undefined
  let varied = false
  for (let run = 0; run < runs; run += 1) {
    const counter = newCounter()
    const start = performance.now()
    try {
      const said = await withTimeout(work(countingFetch(counter), run), RUN_TIMEOUT_MS, `run ${run + 1}`)
      times.push(performance.now() - start)
      if (run === 0) note = said
    } catch (error) {
      const figures = first ?? counter
      return { ...figures, ms: performance.now() - start, runs: run + 1, error: describeError(error), ...(note ? { note } : {}) }
    }
    if (first === null) first = counter
    else if (counter.requests !== first.requests || Math.abs(counter.responseBytes - first.responseBytes) > first.responseBytes * 0.01) varied = true
  }
  const figures = first ?? newCounter()
  const notes = [note, varied ? 'later runs differed' : undefined].filter((n) => n !== undefined).join('; ')
  return { ...figures, ms: median(times), runs, ...(notes ? { note: notes } : {}) }
}

// ---------------------------------------------------------------- the "before" request pattern, raw

type SubRequest = { id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }
type SubResponse = { id: string; status: number; body?: unknown }

class Refused extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function errorCode(body: unknown): string {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null
  if (!error) return ''
  const inner = isRecord(error.innerError) ? error.innerError : isRecord(error.innererror) ? error.innererror : null
  return [typeof error.code === 'string' ? error.code : '', inner && typeof inner.code === 'string' ? inner.code : ''].filter((c) => c !== '').join('/')
}

type Raw = {
  fetch: FetchLike
  graphBaseUrl: string
  /** /me/drive/items/{id}/workbook */
  wb: string
}

async function rawCall(raw: Raw, method: string, path: string, what: string, options: { body?: unknown; session?: string } = {}): Promise<unknown> {
  const headers: Record<string, string> = {}
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.session) headers['workbook-session-id'] = options.session
  const response = await raw.fetch(`${raw.graphBaseUrl}${path}`, {
    method,
    headers,
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await response.text()
  const body: unknown = text === '' ? undefined : JSON.parse(text)
  if (!response.ok) throw new Refused(`${what}: ${response.status} ${errorCode(body) || response.statusText}`)
  return body
}

async function rawBatch(raw: Raw, requests: SubRequest[], what: string): Promise<Map<string, unknown>> {
  const body = await rawCall(raw, 'POST', '/$batch', what, { body: { requests } })
  const responses = isRecord(body) && Array.isArray(body.responses) ? (body.responses as SubResponse[]) : []
  const byId = new Map(responses.map((r) => [String(r.id), r]))
  const failed = requests
    .map((r) => ({ request: r, response: byId.get(r.id) }))
    .filter(({ response }) => !response || response.status < 200 || response.status >= 300)
  if (failed.length > 0) {
    const first = failed[0]
    const code = first?.response ? `${first.response.status} ${errorCode(first.response.body)}` : 'no answer'
    const where = first ? `${first.request.method} ${first.request.url.replace(raw.wb, '')}` : ''
    throw new Refused(`${what}: ${code} on ${where}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`)
  }
  return new Map(responses.map((r) => [String(r.id), r.body]))
}

function grid(body: unknown, property = 'values'): unknown[][] {
  const value = isRecord(body) ? body[property] : undefined
  return Array.isArray(value) ? (value as unknown[][]) : []
}

const tableGets = (raw: Raw, tables: readonly string[], session?: string): SubRequest[] =>
  tables.flatMap((t) =>
    (['range', 'dataBodyRange'] as const).map((part) => ({
      id: `${t}.${part}`,
      method: 'GET',
      url: `${raw.wb}/tables/${t}/${part}`,
      ...(session ? { headers: { 'workbook-session-id': session } } : {}),
    })),
  )

const logGets = (raw: Raw, session: string): SubRequest[] => [
  { id: 'ChangeLog.headerRowRange', method: 'GET', url: `${raw.wb}/tables/ChangeLog/headerRowRange`, headers: { 'workbook-session-id': session } },
  { id: 'ChangeLog.ChangeId', method: 'GET', url: `${raw.wb}/tables/ChangeLog/columns/ChangeId`, headers: { 'workbook-session-id': session } },
]

type Audit = { changeId: string; at: string }

function changeLogRow(headers: readonly unknown[], audit: Audit, table: string, key: string, column: string, oldValue: string, newValue: string): unknown[] {
  const cells: Record<string, string> = { At: audit.at, By: BY, Source: SOURCE, Table: table, Key: key, Column: column, OldValue: oldValue, NewValue: newValue, ChangeId: audit.changeId }
  return headers.map((h) => cells[String(h)] ?? '')
}

async function withSession<T>(raw: Raw, work: (session: string) => Promise<T>): Promise<T> {
  const created = await rawCall(raw, 'POST', `${raw.wb}/createSession`, 'createSession', { body: { persistChanges: true } })
  const session = isRecord(created) && typeof created.id === 'string' ? created.id : ''
  if (session === '') throw new Refused('createSession: no session id')
  let result: T
  try {
    result = await work(session)
  } catch (error) {
    // Not part of the pattern's figures: the old client would have stopped here; the session is closed quietly.
    await fetch(`${raw.graphBaseUrl}${raw.wb}/closeSession`, { method: 'POST', headers: { 'workbook-session-id': session }, signal: AbortSignal.timeout(10_000) }).catch(() => undefined)
    throw error
  }
  await rawCall(raw, 'POST', `${raw.wb}/closeSession`, 'closeSession', { session })
  return result
}

async function beforeStatus(raw: Raw): Promise<string> {
  const bodies = await rawBatch(raw, tableGets(raw, PLAN_TABLES), 'status $batch')
  return `read ${grid(bodies.get('CheckIns.dataBodyRange')).length} check-ins`
}

async function beforeStep(raw: Raw, stepId: string, status: string): Promise<string> {
  // (1) the app's read of the step, sessionless.
  await rawBatch(raw, tableGets(raw, ['ActionSteps']), 'step read $batch')
  return withSession(raw, async (session) => {
    // (3) the store's read for the write: the table again, and the ChangeLog's header and ChangeIds.
    const read = await rawBatch(raw, [...tableGets(raw, ['ActionSteps'], session), ...logGets(raw, session)], 'write read $batch')
    const headers = grid(read.get('ActionSteps.range'))[0] ?? []
    const body = grid(read.get('ActionSteps.dataBodyRange'))
    const logHeaders = grid(read.get('ChangeLog.headerRowRange'))[0] ?? []
    const keyAt = headers.indexOf('StepId')
    const index = body.findIndex((row) => String(row[keyAt]) === stepId)
    if (index < 0) throw new Refused(`no step ${stepId}`)
    const audit: Audit = { changeId: randomUUID(), at: new Date().toISOString() }
    const changes: Record<string, string> = { Status: status, UpdatedBy: BY, UpdatedAt: audit.at }
    const values = headers.map((h) => changes[String(h)] ?? null)
    const log = Object.entries(changes).map(([column, value]) =>
      changeLogRow(logHeaders, audit, 'ActionSteps', stepId, column, String(body[index]?.[headers.indexOf(column)] ?? ''), value),
    )
    // (4) the write and its ChangeLog rows.
    await rawBatch(
      raw,
      [
        { id: '1', method: 'PATCH', url: `${raw.wb}/tables/ActionSteps/rows/itemAt(index=${index})`, headers: { 'workbook-session-id': session, 'Content-Type': 'application/json' }, body: { values: [values] } },
        { id: '2', method: 'POST', url: `${raw.wb}/tables/ChangeLog/rows/add`, headers: { 'workbook-session-id': session, 'Content-Type': 'application/json' }, body: { index: null, values: log } },
      ],
      'write $batch',
    )
    return `row ${index} of ${body.length}`
  })
}

async function beforeCheckIn(raw: Raw, entry: CheckInPick): Promise<string> {
  // (1) the app's check of the WIG and the measure, sessionless.
  await rawBatch(raw, tableGets(raw, ['WIGs', 'Measures']), 'reference read $batch')
  return withSession(raw, async (session) => {
    const read = await rawBatch(raw, [...tableGets(raw, ['CheckIns'], session), ...logGets(raw, session)], 'write read $batch')
    const headers = grid(read.get('CheckIns.range'))[0] ?? []
    const count = grid(read.get('CheckIns.dataBodyRange')).length
    const logHeaders = grid(read.get('ChangeLog.headerRowRange'))[0] ?? []
    const audit: Audit = { changeId: randomUUID(), at: new Date().toISOString() }
    const id = `CI-${audit.changeId.replace(/-/g, '').slice(0, 10).toUpperCase()}`
    const cells: Record<string, string | number> = { CheckInId: id, WigId: entry.wigId, MeasureId: entry.measureId, Date: entry.date, Value: entry.value, Note: entry.note, EnteredBy: BY, EnteredAt: audit.at }
    const row = headers.map((h) => cells[String(h)] ?? '')
    const log = headers.flatMap((h) => {
      const value = cells[String(h)]
      return value === undefined || value === '' ? [] : [changeLogRow(logHeaders, audit, 'CheckIns', id, String(h), '', String(value))]
    })
    await rawBatch(
      raw,
      [
        { id: '1', method: 'POST', url: `${raw.wb}/tables/CheckIns/rows/add`, headers: { 'workbook-session-id': session, 'Content-Type': 'application/json' }, body: { index: null, values: [row] } },
        { id: '2', method: 'POST', url: `${raw.wb}/tables/ChangeLog/rows/add`, headers: { 'workbook-session-id': session, 'Content-Type': 'application/json' }, body: { index: null, values: log } },
      ],
      'write $batch',
    )
    return `appended after ${count} rows`
  })
}

/**
 * The reference for the status read's bytes: just `values` + `numberFormat` of each plan table's
 * data body. One raw `$batch`; when a reply is refused as too large, table by table, and a
 * table still too large in row chunks of its sheet.
 */
async function referenceBytes(raw: Raw): Promise<{ bytes: number; method: string }> {
  const select = '$select=values,numberFormat'
  const counter = newCounter()
  const counted: Raw = { ...raw, fetch: countingFetch(counter) }
  try {
    await rawBatch(counted, PLAN_TABLES.map((t) => ({ id: t, method: 'GET', url: `${raw.wb}/tables/${t}/dataBodyRange?${select}` })), 'reference $batch')
    return { bytes: counter.responseBytes, method: 'one $batch' }
  } catch (error) {
    if (!(error instanceof Refused)) throw error
  }
  let bytes = 0
  const chunked: string[] = []
  for (const table of PLAN_TABLES) {
    const one = newCounter()
    try {
      await rawCall({ ...raw, fetch: countingFetch(one) }, 'GET', `${raw.wb}/tables/${table}/dataBodyRange?${select}`, `${table} reference`)
      bytes += one.responseBytes
      continue
    } catch (error) {
      if (!(error instanceof Refused)) throw error
    }
    // Too large in one piece: its sheet in row chunks.
    const where = await rawCall(raw, 'GET', `${raw.wb}/tables/${table}/dataBodyRange?$select=address,rowCount`, `${table} address`)
    const address = isRecord(where) && typeof where.address === 'string' ? where.address : ''
    const match = /^(?:'?(.+?)'?!)?\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$/.exec(address)
    if (!match) throw new Refused(`${table}: unexpected address "${address}"`)
    const [, sheet = '', firstColumn, firstRow, lastColumn, lastRow] = match
    const CHUNK = 5_000
    for (let r = Number(firstRow); r <= Number(lastRow); r += CHUNK) {
      const chunk = newCounter()
      const to = Math.min(Number(lastRow), r + CHUNK - 1)
      await rawCall(
        { ...raw, fetch: countingFetch(chunk) },
        'GET',
        `${raw.wb}/worksheets/${encodeURIComponent(sheet)}/range(address='${firstColumn}${r}:${lastColumn}${to}')?${select}`,
        `${table} rows ${r}-${to}`,
      )
      bytes += chunk.responseBytes
    }
    chunked.push(table)
  }
  return { bytes, method: chunked.length > 0 ? `table by table, ${chunked.join(', ')} in ${5_000}-row chunks` : 'table by table' }
}

// ---------------------------------------------------------------- what the operations write

type CheckInPick = { wigId: string; measureId: string; value: number; date: IsoDate; note: string }

/** Steps that exist in both workbooks (the sample's own), not yet done: each write run closes a different one. */
function openSteps(today: IsoDate): string[] {
  const table = sampleDistrict(today).tables.ActionSteps
  const id = table.headers.indexOf('StepId')
  const status = table.headers.indexOf('Status')
  return table.rows.filter((r) => r[status] === 'In progress' || r[status] === 'Not started').map((r) => String(r[id]))
}

/** A lead measure of a numeric WIG, as a WIG owner would log it today. */
function checkInPick(today: IsoDate): CheckInPick {
  const { tables } = sampleDistrict(today)
  const wigs = tables.WIGs
  const numeric = new Set(wigs.rows.filter((r) => r[wigs.headers.indexOf('Kind')] === 'Numeric').map((r) => String(r[wigs.headers.indexOf('WigId')])))
  const m = tables.Measures
  const at = (row: readonly unknown[], h: string) => row[m.headers.indexOf(h)]
  const lead = m.rows.find((r) => at(r, 'Type') === 'Lead' && numeric.has(String(at(r, 'WigId'))))
  if (!lead) throw new Error('the sample has no lead measure on a numeric WIG')
  return { wigId: String(at(lead, 'WigId')), measureId: String(at(lead, 'MeasureId')), value: Number(at(lead, 'Baseline')), date: today, note: 'Logged by the bench.' }
}

// ---------------------------------------------------------------- CLI start-up

/** `pm-workbook help`, from typing the command to its exit (issue 8): what a person waits for on every command. */
const STARTUP_BUDGET_MS = 300
const STARTUP_RUNS = 7
const REPO = fileURLToPath(new URL('..', import.meta.url))

type StartupFigure = { name: string; ms: number | null; firstMs: number | null; runs: number; budget: number | null; error?: string }
const startup: StartupFigure[] = []

/**
 * Runs `node …args` `runs` times, one after the other, with the environment of a user's shell
 * (no loader inherited from the bench's own tsx). The first run is reported apart (cold file
 * cache, tsx compiling into its cache); the figure is the median of the others.
 */
function timeNode(name: string, args: readonly string[], budget: number | null): void {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const times: number[] = []
  for (let run = 0; run < STARTUP_RUNS; run += 1) {
    const start = performance.now()
    const child = spawnSync(process.execPath, [...args], { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 })
    const ms = performance.now() - start
    if (child.status !== 0) {
      const why = child.error ? describeError(child.error) : (child.stderr.trim().split('\n')[0] ?? `exit ${child.status}`)
      startup.push({ name, ms: null, firstMs: times[0] ?? null, runs: run + 1, budget, error: why })
      return
    }
    times.push(ms)
  }
  startup.push({ name, ms: median(times.slice(1)), firstMs: times[0] ?? null, runs: STARTUP_RUNS, budget })
}

function measureStartup(dir: string): void {
  const cli = join(REPO, 'dist', 'cli.mjs')
  if (existsSync(cli)) timeNode('pm-workbook help: node dist/cli.mjs (built JavaScript, commands on demand)', [cli, 'help'], STARTUP_BUDGET_MS)
  else startup.push({ name: 'pm-workbook help: node dist/cli.mjs', ms: null, firstMs: null, runs: 0, budget: STARTUP_BUDGET_MS, error: 'not built: run `npm run build:cli` (npm run bench does)' })
  // The previous bin: tsx compiling the TypeScript at run time, and main.ts importing every
  // command up front (so exceljs, the Graph client and the server) before printing help.
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const source = (path: string) => JSON.stringify(new URL(path, new URL('..', import.meta.url)).href)
  const before = join(dir, 'bin-before.mjs')
  writeFileSync(
    before,
    [
      `import { register } from ${JSON.stringify(tsxApi)}`,
      'register()',
      `await Promise.all([${['check', 'checkin', 'init', 'serve', 'status', 'step'].map((c) => `import(${source(`src/cli/commands/${c}.ts`)})`).join(', ')}])`,
      `const { main } = await import(${source('src/cli/main.ts')})`,
      "process.exitCode = await main(['help'])",
      '',
    ].join('\n'),
  )
  timeNode('before: tsx at run time, every command imported up front (the previous bin/pm-workbook.mjs)', [before], null)
  const onDemand = join(dir, 'bin-tsx.mjs')
  writeFileSync(onDemand, [`import { register } from ${JSON.stringify(tsxApi)}`, 'register()', `const { main } = await import(${source('src/cli/main.ts')})`, "process.exitCode = await main(['help'])", ''].join('\n'))
  timeNode('tsx at run time, commands on demand (the sources, unbuilt)', [onDemand], null)
  timeNode('node itself: node -e ""', ['-e', ''], null)
}

// ---------------------------------------------------------------- pages: initial JavaScript

/** The Teams tab's budget (issue 10) for a page's initial JavaScript, gzipped; KB = 1024 bytes. */
const PAGE_JS_BUDGET_KB = 250
const PAGE_JS_STRETCH_KB = 150
/** The pages `vite build` may put in dist/; one not built is reported as such. */
const PAGES = ['index.html', 'tab.html', 'taskpane.html'] as const
const DIST = join(REPO, 'dist')

type PageFigure = { page: string; files: number; bytes: number; gzipBytes: number } | { page: string; error: string }
const pageFigures: PageFigure[] = []

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const m of tag.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) found.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '')
  return found
}

/** The file in dist/ a page or chunk names; null for another origin (not part of the build). */
function builtFile(url: string, from: string): string | null {
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) return null
  const path = url.split(/[?#]/)[0] ?? ''
  return path.startsWith('/') ? join(DIST, path) : resolve(dirname(from), path)
}

/** The page's `<script type="module" src>`, its `<link rel="modulepreload">`s, and what they import statically. */
function initialScripts(page: string): string[] {
  const html = readFileSync(join(DIST, page), 'utf8')
  const tags = (name: string) => [...html.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map((m) => attributes(m[0]))
  const urls = [
    ...tags('script').flatMap((a) => (a.get('type') === 'module' && a.has('src') ? [a.get('src') ?? ''] : [])),
    ...tags('link').flatMap((a) => ((a.get('rel') ?? '').toLowerCase().split(/\s+/).includes('modulepreload') && a.has('href') ? [a.get('href') ?? ''] : [])),
  ]
  const files = new Set(urls.flatMap((url) => builtFile(url, join(DIST, page)) ?? []))
  // Static imports as well: modulepreload links can be switched off (build.modulePreload), the
  // imports cannot. `import("…")` loads later, so it is not initial. A Set visits what is added.
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:from|import)\s*["'](\.\.?\/[^"']+)["']/g)) {
      const imported = builtFile(m[1] ?? '', file)
      if (imported !== null && existsSync(imported)) files.add(imported)
    }
  }
  return [...files]
}

function measurePages(): void {
  for (const page of PAGES) {
    if (!existsSync(join(DIST, page))) {
      pageFigures.push({ page, error: 'not built' })
      continue
    }
    try {
      const bodies = initialScripts(page).map((file) => readFileSync(file))
      const gzipBytes = bodies.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0)
      pageFigures.push({ page, files: bodies.length, bytes: bodies.reduce((sum, body) => sum + body.length, 0), gzipBytes })
    } catch (error) {
      pageFigures.push({ page, error: describeError(error) })
    }
  }
}

// ---------------------------------------------------------------- board export (issue 12)

/** Issue 12's size for the export, and its budgets: under 3 s and 400 MB. */
const BOARD_SCALE = { wigs: 200, steps: 5_000, checkIns: 20_000 } as const
const EXPORT_BUDGET = { ms: 3_000, rssMb: 400 } as const
const EXPORT_RUNS = 3

type ExportFigure = { workbook: string; format: 'xlsx' | 'html'; ms: number | null; rssMb: number | null; runs: number; bytes: number | null; error?: string }
const exportFigures: ExportFigure[] = []

/** The sample district grown to `BOARD_SCALE` (src/sample/scale.ts: new WIGs are copies of the sample's, each with its model's status). */
async function writeBoardScaleWorkbook(path: string, asOf: IsoDate): Promise<{ wigs: number; steps: number; checkIns: number }> {
  await writeScaledSampleWorkbook(path, asOf, BOARD_SCALE)
  return BOARD_SCALE
}

/**
 * `node dist/cli.mjs export FILE --out OUT` in a fresh process, the way a coordinator runs it:
 * time from the command's start to its end (reading, building, writing; module loading included)
 * and the process's peak resident memory, which the child reads from `process.resourceUsage()`.
 */
function timeExport(workbook: string, file: string, format: 'xlsx' | 'html', dir: string): void {
  const cli = join(REPO, 'dist', 'cli.mjs')
  if (!existsSync(cli)) {
    exportFigures.push({ workbook, format, ms: null, rssMb: null, runs: 0, bytes: null, error: 'not built: run `npm run build:cli` (npm run bench does)' })
    return
  }
  const out = join(dir, `export-${workbook.replace(/\W+/g, '-')}.${format}`)
  const child = join(dir, 'export-child.mjs')
  writeFileSync(
    child,
    [
      "import { performance } from 'node:perf_hooks'",
      'const [cli, ...args] = process.argv.slice(2)',
      'process.argv = [process.argv[0], cli, ...args]',
      'const start = performance.now()',
      "await import(new URL(`file://${cli}`).href)",
      'const ms = performance.now() - start',
      "process.stderr.write(`\nBENCH-EXPORT ${JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, code: process.exitCode ?? 0 })}\n`)",
      '',
    ].join('\n'),
  )
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const times: number[] = []
  let rss = 0
  for (let run = 0; run < EXPORT_RUNS; run += 1) {
    const result = spawnSync(process.execPath, [child, cli, 'export', file, '--out', out, '--as-of', today], { cwd: REPO, env, encoding: 'utf8', timeout: 180_000 })
    const line = /BENCH-EXPORT (\{.*\})/.exec(result.stderr ?? '')?.[1]
    const figures = line ? (JSON.parse(line) as { ms: number; maxRssKb: number; code: number }) : null
    if (result.status !== 0 || !figures || figures.code !== 0) {
      const why = result.error ? describeError(result.error) : ((result.stderr ?? '').trim().split('\n')[0] ?? `exit ${result.status}`)
      exportFigures.push({ workbook, format, ms: null, rssMb: null, runs: run + 1, bytes: null, error: why })
      return
    }
    times.push(figures.ms)
    rss = Math.max(rss, figures.maxRssKb / 1024)
  }
  exportFigures.push({ workbook, format, ms: median(times), rssMb: rss, runs: EXPORT_RUNS, bytes: statSync(out).size })
}

async function measureExport(dir: string): Promise<void> {
  const board = join(dir, 'board-scale.xlsx')
  try {
    const t = performance.now()
    const size = await writeBoardScaleWorkbook(board, today)
    setup[`generate the board-scale workbook, ${n0(size.wigs)} WIGs + ${n0(size.steps)} steps + ${n0(size.checkIns)} check-ins (ms)`] = Math.round(performance.now() - t)
  } catch (error) {
    for (const format of ['xlsx', 'html'] as const) exportFigures.push({ workbook: 'board scale', format, ms: null, rssMb: null, runs: 0, bytes: null, error: `generating it failed: ${describeError(error)}` })
    return
  }
  for (const [name, file] of [['sample', paths.sample], [`${n0(BOARD_SCALE.wigs)} WIGs, ${n0(BOARD_SCALE.steps)} steps, ${n0(BOARD_SCALE.checkIns)} check-ins`, board]] as const) {
    for (const format of ['xlsx', 'html'] as const) timeExport(name, file, format, dir)
  }
}

// ---------------------------------------------------------------- server writes (issue 14, group commit)

const WRITERS = 20
const WRITES_PER_WRITER = 5
type WriteFigures = { mode: string; writes: number; failed: number; saves: number; ms: number; writesPerSecond: number; p50Ms: number; p95Ms: number; error?: string }
const writeFigures: WriteFigures[] = []

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

/**
 * The local server's write throughput: WRITERS writers, each sending WRITES_PER_WRITER CheckIns
 * row adds one after another, all at once, on a fresh copy of the sample; with group commit and
 * with one save per write (the server before it). Latency is per write, from send to answer.
 */
async function measureServerWrites(serverModule: ServerModule, workbook: string): Promise<void> {
  for (const mode of ['group commit', 'save per write'] as const) {
    const copy = join(dir, `writes-${mode.replace(/ /g, '-')}.xlsx`)
    copyFileSync(workbook, copy)
    let saves = 0
    let server: RunningServer | null = null
    try {
      server = await serverModule.startServer({
        workbook: copy,
        port: 0,
        groupCommit: mode === 'group commit',
        aroundSave: async (save) => {
          saves += 1
          await save()
        },
      })
      const base = `${server.graphBaseUrl}/me/drive/items/${server.driveItemId}/workbook/tables/CheckIns`
      const header = (await (await fetch(`${base}/headerRowRange?$select=values`)).json()) as { values?: unknown[][] }
      const width = header.values?.[0]?.length ?? 0
      if (width === 0) throw new Error('no CheckIns header row')
      const latencies: number[] = []
      let failed = 0
      const start = performance.now()
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < WRITES_PER_WRITER; i += 1) {
            const row = Array.from({ length: width }, (_, c) => (c === 0 ? `BENCH-${w}-${i}` : ''))
            const sent = performance.now()
            const res = await fetch(`${base}/rows/add`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ values: [row] }) })
            await res.arrayBuffer()
            latencies.push(performance.now() - sent)
            if (res.status !== 200) failed += 1
          }
        }),
      )
      const ms = performance.now() - start
      latencies.sort((a, b) => a - b)
      const writes = WRITERS * WRITES_PER_WRITER
      writeFigures.push({ mode, writes, failed, saves, ms, writesPerSecond: (writes / ms) * 1000, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95) })
    } catch (error) {
      writeFigures.push({ mode, writes: 0, failed: 0, saves, ms: 0, writesPerSecond: 0, p50Ms: 0, p95Ms: 0, error: describeError(error) })
    } finally {
      if (server) await withTimeout(server.close(), 30_000, 'closing the server').catch((error: unknown) => say(`(${describeError(error)})`))
    }
  }
}

// ---------------------------------------------------------------- the run

const today = todayIso()
const dir = mkdtempSync(join(tmpdir(), 'pmw-bench-'))
const paths: Record<WorkbookKind, string> = { sample: join(dir, 'sample.xlsx'), scaled: join(dir, 'scaled.xlsx') }
const RUNS: Record<WorkbookKind, { read: number; write: number }> = { sample: { read: 5, write: 3 }, scaled: { read: 3, write: 2 } }

async function loadModule<T>(what: string, load: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await load() }
  } catch (error) {
    return { ok: false, error: `cannot load ${what}: ${describeError(error)}` }
  }
}

async function loadApp(): Promise<App> {
  const [plan, step, checkIn, report, seen] = await Promise.all([
    import('../src/app/load-plan.ts'),
    import('../src/app/update-step.ts'),
    import('../src/app/log-checkin.ts'),
    import('../src/app/status-report.ts'),
    import('../src/app/seen.ts'),
  ])
  return { loadPlan: plan.loadPlan, updateStep: step.updateStep, readSeen: seen.readSeen, logCheckIn: checkIn.logCheckIn, statusReport: report.statusReport }
}

function failure(result: { ok: false; error: unknown }): Error {
  const e = result.error
  const kind = isRecord(e) && typeof e.kind === 'string' ? `${e.kind}: ` : ''
  const message = isRecord(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e)
  return new Error(`fails: ${kind}${message}`)
}

async function fileBackend(app: App | null, appError: string | null): Promise<void> {
  for (const kind of ['sample', 'scaled'] as const) {
    const name = `status of the ${kind}, file backend (read + decode + rules)`
    const budget = kind === 'sample' ? FILE_STATUS_BUDGET_MS : null
    if (!app) {
      fileFigures.push({ name, ms: null, budget, error: appError ?? 'no app' })
      continue
    }
    const runs = kind === 'sample' ? 7 : 1
    const times: number[] = []
    let note: string | undefined
    try {
      for (let i = 0; i < runs; i += 1) {
        const store = openFileStore(paths[kind])
        const start = performance.now()
        const loaded = await app.loadPlan(store)
        if (!loaded.ok) throw failure(loaded)
        app.statusReport(loaded.value.plan, loaded.value.problems, today, today)
        times.push(performance.now() - start)
        await store.close()
        note = `${runs} run${runs > 1 ? 's' : ''}, ${loaded.value.plan.checkIns.length} check-ins, ${loaded.value.problems.length} problems`
      }
      fileFigures.push({ name, ms: median(times), budget, ...(note ? { note } : {}) })
    } catch (error) {
      fileFigures.push({ name, ms: null, budget, error: describeError(error) })
    }
  }
}

async function benchWorkbook(kind: WorkbookKind, serverModule: ServerModule, graph: { ok: true; value: GraphStoreModule } | { ok: false; error: string }, app: App | null, appError: string | null): Promise<void> {
  const startAt = performance.now()
  let server: RunningServer
  try {
    server = await serverModule.startServer({ workbook: paths[kind], port: 0 })
  } catch (error) {
    for (const operation of ['status', 'step', 'checkin'] as const) {
      for (const version of ['before', 'after'] as const) {
        rows.push({ workbook: kind, operation, version, runs: 0, ...newCounter(), ms: 0, error: `server: ${describeError(error)}`, checks: [] })
      }
    }
    return
  }
  setup[`server start on the ${kind} (ms)`] = Math.round(performance.now() - startAt)
  const wb = `/me/drive/items/${server.driveItemId}/workbook`
  const raw = (fetch: FetchLike): Raw => ({ fetch, graphBaseUrl: server.graphBaseUrl, wb })
  const location = { baseUrl: server.graphBaseUrl, itemPath: `/me/drive/items/${server.driveItemId}` }
  const steps = openSteps(today)
  let stepTurn = 0
  const nextStep = (): string => {
    const id = steps[stepTurn % steps.length]
    stepTurn += 1
    if (id === undefined) throw new Error('the sample has no open step')
    return id
  }
  const pick = checkInPick(today)
  const runs = RUNS[kind]

  try {
    try {
      references[kind] = await referenceBytes(raw(fetch))
    } catch (error) {
      references[kind] = { bytes: 0, method: 'failed', error: describeError(error) }
    }

    type Client = (fetch: FetchLike, run: number) => Promise<string | undefined>
    const viaClient = (work: (store: ReturnType<GraphStoreModule['openGraphStore']>, a: App) => Promise<string | undefined>): Client => {
      return async (fetch) => {
        if (!graph.ok) throw new Error(graph.error)
        if (!app) throw new Error(appError ?? 'no app')
        const store = graph.value.openGraphStore({ location, tokens: noToken, fetch })
        try {
          return await work(store, app)
        } finally {
          await store.close()
        }
      }
    }
    const meta = () => ({ by: BY, source: SOURCE, changeId: randomUUID(), at: new Date() })
    const plan: Record<Operation, Record<Version, { runs: number; work: Client }>> = {
      status: {
        before: { runs: runs.read, work: async (f) => beforeStatus(raw(f)) },
        after: {
          runs: runs.read,
          work: viaClient(async (store, a) => {
            const loaded = await a.loadPlan(store)
            if (!loaded.ok) throw failure(loaded)
            return `read ${loaded.value.plan.checkIns.length} check-ins, ${loaded.value.problems.length} problems`
          }),
        },
      },
      step: {
        before: { runs: runs.write, work: async (f) => beforeStep(raw(f), nextStep(), 'Done') },
        after: {
          runs: runs.write,
          work: viaClient(async (store, a) => {
            // As `pm-workbook step` does it: People, the step's row as it is now, then the write.
            const stepId = nextStep()
            const people = await a.loadPlan(store, ['People'])
            if (!people.ok) throw failure(people)
            const seen = await a.readSeen(store, 'ActionSteps', stepId)
            if (!seen.ok) throw failure(seen)
            const written = await a.updateStep(store, { stepId, status: 'Done' }, seen.value, meta(), { people: people.value.plan.people })
            if (!written.ok) throw failure(written)
            return written.value.applied ? undefined : 'not applied'
          }),
        },
      },
      checkin: {
        before: { runs: runs.write, work: async (f) => beforeCheckIn(raw(f), pick) },
        after: {
          runs: runs.write,
          work: viaClient(async (store, a) => {
            // As `pm-workbook checkin` does it: the WIGs, measures and People it is checked against, then the append.
            const context = await a.loadPlan(store, ['WIGs', 'Measures', 'People'])
            if (!context.ok) throw failure(context)
            const entry = { wigId: pick.wigId, measureId: pick.measureId, value: pick.value, date: pick.date, note: pick.note }
            const written = await a.logCheckIn(store, context.value.plan, entry, meta(), today)
            if (!written.ok) throw failure(written)
            return written.value.applied ? undefined : 'not applied'
          }),
        },
      },
    }

    for (const operation of ['status', 'step', 'checkin'] as const) {
      for (const version of ['before', 'after'] as const) {
        const { runs: n, work } = plan[operation][version]
        const measured = await measure(n, work)
        rows.push({ workbook: kind, operation, version, ...measured, checks: [] })
      }
    }
  } finally {
    await withTimeout(server.close(), 30_000, 'closing the server').catch((error: unknown) => say(`(${describeError(error)})`))
  }
}

/** Budgets are held against the client ("after"); "before" rows show where the product came from. */
function judge(): void {
  for (const row of rows) {
    if (row.version !== 'after' || row.error) continue
    const budget = REQUEST_BUDGET[row.operation]
    row.checks.push({ name: 'requests', value: row.requests, budget, unit: 'requests', ok: row.requests <= budget })
    const timeBudget = row.workbook === 'sample' ? SAMPLE_TIME_BUDGET[row.operation] : undefined
    if (timeBudget !== undefined) row.checks.push({ name: 'time', value: row.ms, budget: timeBudget, unit: 'ms', ok: row.ms <= timeBudget })
    const reference = references[row.workbook]
    if (row.operation === 'status' && row.workbook === 'scaled' && reference && reference.bytes > 0) {
      const budgetBytes = Math.floor(reference.bytes * STATUS_BYTES_FACTOR)
      row.checks.push({ name: 'response bytes', value: row.responseBytes, budget: budgetBytes, unit: 'bytes', ok: row.responseBytes <= budgetBytes })
    }
  }
}

// ---------------------------------------------------------------- printing

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US')
const kb = (v: number): string => (v >= 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(2)} MB` : v >= 1024 ? `${(v / 1024).toFixed(1)} kB` : `${v} B`)

function table(headers: string[], body: string[][], right: readonly number[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)]
}

function printReport(): void {
  say(`pm-workbook bench, ${new Date().toISOString()}, as of ${today}, node ${process.version}, ${availableParallelism()} cores`)
  say()
  for (const [name, value] of Object.entries(setup)) say(`${name}: ${typeof value === 'number' ? n0(value) : value}`)
  say()
  say(`CLI start-up: median of ${STARTUP_RUNS - 1} runs after a first one (shown apart), each a fresh node process`)
  for (const f of startup) {
    const mark = f.ms === null ? 'ERR ' : f.budget === null ? '    ' : f.ms <= f.budget ? 'ok  ' : 'MISS'
    const figure = f.ms === null ? `error: ${f.error}` : `${f.ms.toFixed(0)} ms${f.budget !== null ? ` (budget < ${f.budget})` : ''}, first run ${f.firstMs?.toFixed(0) ?? '?'} ms`
    say(`  ${mark} ${f.name}: ${figure}`)
  }
  const built = startup[0]?.ms
  const before = startup[1]?.ms
  if (built != null && before != null && built > 0) say(`  built vs before: ${(before / built).toFixed(1)}× faster to start`)
  say()
  say('Pages: initial JavaScript (module script + modulepreloads + their static imports; minified as built; gzip -9 per file, summed; KB = 1024 bytes)')
  for (const f of pageFigures) {
    if ('error' in f) {
      say(`  ${f.error === 'not built' ? '    ' : 'ERR '} ${f.page}: ${f.error}`)
      continue
    }
    const gz = f.gzipBytes / 1024
    const verdict = (limit: number) => `${gz < limit ? 'ok' : 'MISS'} < ${limit} KB`
    say(`  ${gz < PAGE_JS_BUDGET_KB ? 'ok  ' : 'MISS'} ${f.page}: ${f.files} files, ${(f.bytes / 1024).toFixed(1)} KB minified, ${gz.toFixed(1)} KB gzipped (budget ${verdict(PAGE_JS_BUDGET_KB)}, stretch ${verdict(PAGE_JS_STRETCH_KB)})`)
  }
  say()
  say(`Board export: pm-workbook export (node dist/cli.mjs, a fresh process per run; time = median of ${EXPORT_RUNS} runs from start to exit of the command, module loading included; memory = peak RSS)`)
  for (const f of exportFigures) {
    if (f.ms === null || f.rssMb === null) {
      say(`  ERR  ${f.workbook} → .${f.format}: error: ${f.error}`)
      continue
    }
    const ok = f.ms <= EXPORT_BUDGET.ms && f.rssMb <= EXPORT_BUDGET.rssMb
    say(`  ${ok ? 'ok  ' : 'MISS'} ${f.workbook} → .${f.format}: ${n0(f.ms)} ms, ${n0(f.rssMb)} MB peak, ${kb(f.bytes ?? 0)} written (budget < ${n0(EXPORT_BUDGET.ms)} ms and < ${EXPORT_BUDGET.rssMb} MB)`)
  }
  say()
  say('File backend')
  for (const f of fileFigures) {
    const mark = f.ms === null ? 'ERR ' : f.budget === null ? '    ' : f.ms <= f.budget ? 'ok  ' : 'MISS'
    const figure = f.ms === null ? `error: ${f.error}` : `${f.ms.toFixed(1)} ms${f.budget !== null ? ` (budget ${f.budget})` : ''}${f.note ? ` [${f.note}]` : ''}`
    say(`  ${mark} ${f.name}: ${figure}`)
  }
  say()
  say(`Local server writes: ${WRITERS} concurrent writers × ${WRITES_PER_WRITER} CheckIns row adds each, on a fresh copy of the sample (latency per write, send to answer)`)
  for (const f of writeFigures) {
    if (f.error) say(`  ERR  ${f.mode}: ${f.error}`)
    else say(`  ${f.mode}: ${f.writesPerSecond.toFixed(1)} writes/s, p50 ${n0(f.p50Ms)} ms, p95 ${n0(f.p95Ms)} ms, ${f.saves} saves for ${f.writes} writes (${f.failed} failed), ${n0(f.ms)} ms in all`)
  }
  const grouped = writeFigures.find((f) => f.mode === 'group commit' && !f.error)
  const single = writeFigures.find((f) => f.mode === 'save per write' && !f.error)
  if (grouped && single && single.writesPerSecond > 0) say(`  group commit vs save per write: ${(grouped.writesPerSecond / single.writesPerSecond).toFixed(1)}× the throughput`)
  say()
  say(`Graph, local server (sample = the sample district; scaled = ${n0(SCALE.checkIns)} check-ins, ${n0(SCALE.steps)} steps)`)
  const body = rows.map((r) => {
    const budget = r.checks.length === 0 ? '' : r.checks.map((c) => `${c.ok ? 'ok' : 'MISS'} ${c.name} ≤ ${c.unit === 'bytes' ? kb(c.budget) : n0(c.budget)}`).join(', ')
    const result = r.error ? (r.error.startsWith('fails:') ? r.error : `fails: ${r.error}`) : (r.note ?? '')
    return [r.workbook, r.operation, r.version, String(r.requests), kb(r.responseBytes), kb(r.requestBytes), r.ms.toFixed(1), String(r.runs), budget, result]
  })
  for (const line of table(['workbook', 'op', 'version', 'requests', 'response', 'request', 'ms', 'runs', 'budget', 'result'], body, [3, 4, 5, 6, 7])) say(`  ${line}`)
  say('  before = the previous version\'s requests replayed raw; after = the Graph client (fresh per run). requests and bytes: one run')
  say('  (a failing one up to its failure); response/request = body bytes (response uncompressed, as the client reads it); ms = median of the runs.')
  say()
  say('Reference: values + numberFormat of the 7 plan tables\' data bodies')
  for (const kind of ['sample', 'scaled'] as const) {
    const ref = references[kind]
    if (!ref) continue
    if (ref.error) {
      say(`  ${kind}: error: ${ref.error}`)
      continue
    }
    const status = rows.find((r) => r.workbook === kind && r.operation === 'status' && r.version === 'after')
    const ratio = status && !status.error && ref.bytes > 0 ? `; status read = ${(status.responseBytes / ref.bytes).toFixed(2)}× this` : ''
    say(`  ${kind}: ${kb(ref.bytes)} (${n0(ref.bytes)} bytes, ${ref.method})${ratio}`)
  }
  say()
  say(`Budgets (client): status ≤ ${REQUEST_BUDGET.status} requests, step ≤ ${REQUEST_BUDGET.step}, checkin ≤ ${REQUEST_BUDGET.checkin}; status bytes at scale ≤ ${STATUS_BYTES_FACTOR}× the reference; sample status ≤ ${SAMPLE_TIME_BUDGET.status} ms, step ≤ ${SAMPLE_TIME_BUDGET.step} ms; \`pm-workbook help\` starts in < ${STARTUP_BUDGET_MS} ms; a page's initial JS < ${PAGE_JS_BUDGET_KB} KB gzipped (stretch ${PAGE_JS_STRETCH_KB} KB).`)
  const misses = [
    ...exportFigures.filter((f) => f.ms !== null && f.rssMb !== null && (f.ms > EXPORT_BUDGET.ms || f.rssMb > EXPORT_BUDGET.rssMb)).map((f) => `export of ${f.workbook} to .${f.format}`),
    ...pageFigures.flatMap((f) => ('error' in f || f.gzipBytes / 1024 < PAGE_JS_BUDGET_KB ? [] : [`${f.page} initial JS`])),
    ...startup.filter((f) => f.budget !== null && (f.ms === null || f.ms > f.budget)).map(() => 'CLI start-up'),
    ...rows.flatMap((r) => r.checks.filter((c) => !c.ok).map((c) => `${r.workbook} ${r.operation} ${c.name}`)),
  ]
  const errors = rows.filter((r) => r.version === 'after' && r.error).map((r) => `${r.workbook} ${r.operation}`)
  const stretch = pageFigures.flatMap((f) => ('error' in f || f.gzipBytes / 1024 < PAGE_JS_STRETCH_KB ? [] : [`${f.page} initial JS`]))
  say(`Missed: ${misses.length === 0 ? 'none' : misses.join(', ')}.${stretch.length > 0 ? ` Stretch missed: ${stretch.join(', ')}.` : ''}${errors.length > 0 ? ` Client errors: ${errors.join(', ')}.` : ''}`)
}

/** `pages` in the JSON copy: the pages that were built and measured. */
const pagesJson = (): Record<string, { initialJsGzipBytes: number }> =>
  Object.fromEntries(pageFigures.flatMap((f) => ('error' in f ? [] : [[f.page, { initialJsGzipBytes: f.gzipBytes }]])))

const started = performance.now()
try {
  measurePages()
  // First, on a quiet machine: the bench's own servers come later.
  measureStartup(dir)
  let t = performance.now()
  await writeSampleWorkbook(paths.sample, today)
  setup['generate the sample workbook (ms)'] = Math.round(performance.now() - t)
  t = performance.now()
  await writeScaledSampleWorkbook(paths.scaled, today, SCALE)
  setup[`generate the scaled workbook, ${n0(SCALE.checkIns)} check-ins + ${n0(SCALE.steps)} steps (ms)`] = Math.round(performance.now() - t)

  await measureExport(dir)

  const app = await loadModule('the app (src/app)', loadApp)
  const graph = await loadModule('the Graph client (src/workbook/graph/store/graph-store.ts)', () => import('../src/workbook/graph/store/graph-store.ts'))
  const server = await loadModule('the local server (src/server/server.ts)', () => import('../src/server/server.ts'))
  await fileBackend(app.ok ? app.value : null, app.ok ? null : app.error)
  if (server.ok) await measureServerWrites(server.value, paths.sample)
  else writeFigures.push({ mode: 'group commit', writes: 0, failed: 0, saves: 0, ms: 0, writesPerSecond: 0, p50Ms: 0, p95Ms: 0, error: server.error })
  for (const kind of ['sample', 'scaled'] as const) {
    if (server.ok) await benchWorkbook(kind, server.value, graph, app.ok ? app.value : null, app.ok ? null : app.error)
    else {
      for (const operation of ['status', 'step', 'checkin'] as const) {
        for (const version of ['before', 'after'] as const) rows.push({ workbook: kind, operation, version, runs: 0, ...newCounter(), ms: 0, error: server.error, checks: [] })
      }
    }
  }
  judge()
} catch (error) {
  say(`The bench stopped early: ${describeError(error)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
setup['whole bench (ms)'] = Math.round(performance.now() - started)
printReport()
if (JSON_OUTPUT) {
  process.stdout.write(
    `${JSON.stringify({ asOf: today, node: process.version, cores: availableParallelism(), scale: SCALE, setup, startup, pages: pagesJson(), fileBackend: fileFigures, serverWrites: writeFigures, export: exportFigures, references, rows, budgets: { requests: REQUEST_BUDGET, statusBytesFactor: STATUS_BYTES_FACTOR, sampleTimeMs: SAMPLE_TIME_BUDGET, startupMs: STARTUP_BUDGET_MS, pageInitialJsGzipKb: { budget: PAGE_JS_BUDGET_KB, stretch: PAGE_JS_STRETCH_KB }, export: EXPORT_BUDGET } }, null, 2)}\n`,
  )
}
// Figures, not verdicts: a missed budget is marked above, never an exit code.
process.exitCode = 0
// A run that timed out may still hold a connection open: do not wait for it.
if (somethingHung) process.exit(0)
