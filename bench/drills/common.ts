import { spawn, type ChildProcess } from 'node:child_process'
import { createServer as createHttpServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { copyFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { seededRandom } from '../../src/server/faults.ts'
import { readTables, squash } from '../../test/fixtures/xlsx-tables.ts'

/**
 * What every fault drill shares: its report, a seeded random source, a reader of the workbook on
 * disk that is independent of src/ (exceljs, as Excel would open it), the ChangeLog audit that
 * decides "on disk once", a proxy that drops connections, and the built CLI's `serve` as a child.
 */

export type DrillReport = {
  key: string
  title: string
  /** What was tried, in words and as figures. */
  tried: string[]
  triedFigures: Record<string, number>
  /** What happened: acked, failed, conflicts, retries… */
  happened: string[]
  happenedFigures: Record<string, number>
  lost: number
  duplicated: number
  crashed: number
  ms: number
  /** Anything the reader must know: budgets cut, limits met, examples of what went wrong. */
  notes: string[]
  pass: boolean
}

export function report(r: Omit<DrillReport, 'pass'> & { pass?: boolean }): DrillReport {
  return { ...r, pass: r.pass ?? (r.lost === 0 && r.duplicated === 0 && r.crashed === 0) }
}

/** Small and seedable, the same drill every run: the server's own fault generator. */
export const seeded = seededRandom

export const pick = <T>(random: () => number, items: readonly T[]): T => {
  if (items.length === 0) throw new Error('pick from an empty list')
  return items[Math.floor(random() * items.length)] as T
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

export const count = (n: number) => n.toLocaleString('en-US')

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

// ---------------------------------------------------------------------------------------------
// The workbook on disk, read with exceljs alone

/** A table's rows as records keyed by squashed header (test/fixtures/xlsx-tables.ts), each cell as text. */
export type DiskTable = Record<string, string>[]


/** A cell as text: rich text joined, a formula's result, a date as ISO, errors as their text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown }
    if (Array.isArray(v.richText)) return v.richText.map((run) => run.text).join('')
    if ('result' in v) return cellText(v.result)
    if (typeof v.text === 'string') return v.text
    if (typeof v.error === 'string') return v.error
    return JSON.stringify(value)
  }
  return String(value)
}

/** Every Excel table of the file, as exceljs loads it: the proof that the workbook opens. */
export async function readDisk(path: string): Promise<Record<string, DiskTable>> {
  const tables = await readTables(path)
  return Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cellText(v)])))]))
}

export const records = (table: DiskTable | undefined): DiskTable => table ?? []

// ---------------------------------------------------------------------------------------------
// "On disk exactly once": every write judged by its value and its ChangeLog rows

export type Answer = 'ok' | 'failed' | 'conflict'

/** The drill's own copy of its workbook, in a folder of its own that the drill removes. */
export async function workbookCopy(drill: string, source: string): Promise<{ dir: string; workbook: string }> {
  const dir = await mkdtemp(join(tmpdir(), `pmw-drill-${drill}-`))
  const workbook = join(dir, 'plan.xlsx')
  await copyFile(source, workbook)
  return { dir, workbook }
}

/** One write a caller made, and what it was told. */
export type WriteRecord = {
  changeId: string
  answer: Answer
  /** The error kind when not ok (network, timeout, conflict…). */
  why?: string
  table: 'ActionSteps' | 'CheckIns'
  key: string
  /** Columns the write changes (an update) or fills (an append), with the text it wrote. */
  columns: Record<string, string>
  kind: 'update' | 'append'
  /** For an update: the Notes text, unique to this write, looked for in the cell. */
  notes?: string
}

export type Verdict = {
  /** Told ok, and on disk once. */
  landedOnce: number
  /**
   * Told ok, and not on disk: its value or its ChangeLog rows missing, or its value overwritten by
   * a later write whose caller had not seen it (a lost update).
   */
  lost: number
  /** Writes told ok that overwrote a change their caller had not seen (each should have been a conflict). */
  unseenOverwrites: number
  /** On disk more than once (a row, or a set of ChangeLog rows). */
  duplicated: number
  /** Told failed or conflict, and not on disk. */
  refusedAndAbsent: number
  /** Told failed or conflict, and on disk anyway (once). */
  failedButLanded: number
  examples: string[]
}

const UNDO = /\(undone/i
const LATE = /\(late duplicate removed\)/i

/**
 * Judges each write against the workbook on disk. An update is on disk when each column it changed
 * has exactly one ChangeLog row of its ChangeId (undone rows, written when a colleague's edit raced
 * it, cancel one each) and, when it was the last acknowledged write to that row, the cell holds its
 * text. An append is on disk when its key is in one row, with one ChangeLog row per filled column.
 */
/** What the callers were told: how many saved, which writes failed, how many heard conflict. */
export function answered(writes: readonly WriteRecord[]): { acked: number; failed: WriteRecord[]; conflicts: number } {
  return { acked: writes.filter((w) => w.answer === 'ok').length, failed: writes.filter((w) => w.answer === 'failed'), conflicts: writes.filter((w) => w.answer === 'conflict').length }
}

export function judge(writes: readonly WriteRecord[], disk: Record<string, DiskTable>): Verdict {
  const log = records(disk['ChangeLog'])
  const byChange = new Map<string, { row: Record<string, string>; at: number }[]>()
  log.forEach((row, at) => {
    const id = row['changeid'] ?? ''
    if (id === '') return
    const list = byChange.get(id) ?? []
    list.push({ row, at })
    byChange.set(id, list)
  })
  const keyColumn = { ActionSteps: 'stepid', CheckIns: 'checkinid' } as const
  const rowsByKey = new Map<string, Record<string, string>[]>()
  for (const table of ['ActionSteps', 'CheckIns'] as const) {
    for (const row of records(disk[table])) {
      const k = `${table}/${row[keyColumn[table]] ?? ''}`
      const list = rowsByKey.get(k) ?? []
      list.push(row)
      rowsByKey.set(k, list)
    }
  }
  // The write whose Notes the cell must hold: of the updates told ok, the one logged last (the
  // ChangeLog is appended in the order writes were applied).
  const lastLogged = (w: WriteRecord) => Math.max(-1, ...(byChange.get(w.changeId) ?? []).filter((e) => !UNDO.test(e.row['source'] ?? '')).map((e) => e.at))
  const lastOk = new Map<string, WriteRecord>()
  for (const w of writes) {
    if (w.answer !== 'ok' || w.kind !== 'update') continue
    const k = `${w.table}/${w.key}`
    const before = lastOk.get(k)
    if (!before || lastLogged(w) > lastLogged(before)) lastOk.set(k, w)
  }

  // Each cell's history in the ChangeLog is a chain: every row's OldValue is the NewValue of the row
  // before it (a conflict's undo rows included). A break means a write replaced a value its caller
  // had never seen: the write before it was lost, though both were logged.
  const overwrittenBy = new Map<string, string>()
  const chains = new Map<string, Record<string, string>[]>()
  for (const row of log) {
    if (LATE.test(row['source'] ?? '') || squash(row['column'] ?? '') !== 'notes') continue
    const k = `${row['table']}/${row['key']}`
    const chain = chains.get(k) ?? []
    const before = chain[chain.length - 1]
    if (before && before['changeid'] !== row['changeid'] && (before['newvalue'] ?? '').trim() !== (row['oldvalue'] ?? '').trim()) overwrittenBy.set(before['changeid'] ?? '', row['changeid'] ?? '')
    chain.push(row)
    chains.set(k, chain)
  }
  const told = new Map(writes.map((w) => [w.changeId, w.answer]))

  const verdict: Verdict = { landedOnce: 0, lost: 0, unseenOverwrites: 0, duplicated: 0, refusedAndAbsent: 0, failedButLanded: 0, examples: [] }
  for (const [, by] of overwrittenBy) if (told.get(by) === 'ok') verdict.unseenOverwrites += 1
  const describe = (w: WriteRecord) => {
    const cell = w.kind === 'update' ? `; the Notes cell holds "${(rowsByKey.get(`${w.table}/${w.key}`)?.[0]?.['notes'] ?? '').slice(0, 80)}"` : ''
    const logged = log
      .filter((r) => (r['key'] ?? '') === w.key)
      .map((r) => `[${r['column']} by ${r['changeid']?.slice(0, 8)} ${r['source']}: "${(r['oldvalue'] ?? '').slice(0, 40)}" → "${(r['newvalue'] ?? '').slice(0, 40)}"]`)
    return `${cell}; ChangeLog rows for ${w.key}: ${logged.join(' ') || 'none'}; writes to it: ${writes
      .filter((x) => x.key === w.key)
      .map((x) => `${x.changeId.slice(0, 8)} told ${x.answer}${x.why ? ` (${x.why})` : ''}`)
      .join(', ')}`
  }
  const example = (text: string) => {
    if (verdict.examples.length < 8) verdict.examples.push(text)
  }
  for (const w of writes) {
    const rows = (byChange.get(w.changeId) ?? []).map((e) => e.row).filter((r) => !LATE.test(r['source'] ?? ''))
    const columns = Object.keys(w.columns)
    const net = columns.map((column) => {
      const mine = rows.filter((r) => squash(r['column'] ?? '') === squash(column) && (r['key'] ?? '') === w.key)
      const forward = mine.filter((r) => !UNDO.test(r['source'] ?? '')).length
      const undone = mine.filter((r) => UNDO.test(r['source'] ?? '')).length
      return { column, forward, net: forward - undone }
    })
    const onDiskRows = rowsByKey.get(`${w.table}/${w.key}`) ?? []
    const twice = net.some((n) => n.forward > 1 || n.net > 1) || (w.kind === 'append' && onDiskRows.length > 1)
    if (twice) {
      verdict.duplicated += 1
      example(`${w.changeId} (${w.table} ${w.key}, told ${w.answer}) is on disk more than once: ${net.map((n) => `${n.column} ×${n.forward}`).join(', ')}, ${onDiskRows.length} row(s)${describe(w)}`)
      continue
    }
    let landed: boolean
    let partly = false
    if (w.kind === 'append') {
      landed = onDiskRows.length === 1 && net.every((n) => n.net === 1)
      if (!landed && (onDiskRows.length === 1 || net.some((n) => n.net === 1))) partly = true
    } else {
      const logged = net.every((n) => n.net === 1)
      const holds = w.notes !== undefined && (onDiskRows[0]?.['notes'] ?? '') === w.notes
      const mustHold = lastOk.get(`${w.table}/${w.key}`) === w
      landed = logged && (!mustHold || holds)
      // A value without its log rows, or log rows without the value: half a write.
      if (!landed && (holds || net.some((n) => n.net !== 0))) partly = true
    }
    const overwriter = overwrittenBy.get(w.changeId)
    if (w.answer === 'ok' && landed && overwriter !== undefined) {
      verdict.lost += 1
      example(`${w.changeId} (${w.table} ${w.key}) was acknowledged, then overwritten by ${overwriter}, whose caller had not seen it and was told ${told.get(overwriter) ?? 'nothing (not a drill write)'}${describe(w)}`)
    } else if (w.answer === 'ok') {
      if (landed) verdict.landedOnce += 1
      else {
        verdict.lost += 1
        example(`${w.changeId} (${w.table} ${w.key}) was acknowledged but is not on disk: ${net.map((n) => `${n.column} logged ×${n.net}`).join(', ')}${describe(w)}`)
      }
    } else if (landed || partly) {
      verdict.failedButLanded += 1
      example(`${w.changeId} (${w.table} ${w.key}) was told ${w.answer}${w.why ? ` (${w.why})` : ''} but is on disk${landed ? '' : ' in part'}${describe(w)}`)
    } else {
      verdict.refusedAndAbsent += 1
    }
  }
  return verdict
}

// ---------------------------------------------------------------------------------------------
// A proxy that drops connections: before the request reaches the server, or after it answered

export type DropStats = { requests: number; droppedBefore: number; droppedAfter: number }
export type DroppingProxy = { origin: string; stats: DropStats; close(): Promise<void> }

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'te', 'trailer'])

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) out[k] = v
  return out
}

/**
 * Sits between the Graph client and the local server. A `share` of HTTP requests lose their
 * connection: half before the request reaches the server (nothing done), half after the server
 * answered (the work is done and saved, the caller never hears so).
 */
export async function startDroppingProxy(
  target: string,
  share: number,
  random: () => number,
  /** Sees each request before it is forwarded (drill 2 arms its session expiry from the `$batch` body). */
  inspect?: (method: string, url: string, body: Buffer) => void,
): Promise<DroppingProxy> {
  const to = new URL(target)
  const stats: DropStats = { requests: 0, droppedBefore: 0, droppedAfter: 0 }
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      stats.requests += 1
      inspect?.(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks))
      const r = random()
      if (r < share / 2) {
        stats.droppedBefore += 1
        req.socket.destroy()
        return
      }
      const dropAfter = r < share
      const forward = httpRequest(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...endToEnd(req.headers), host: to.host } },
        (answer) => {
          const body: Buffer[] = []
          answer.on('data', (c: Buffer) => body.push(c))
          answer.on('end', () => {
            if (dropAfter) {
              stats.droppedAfter += 1
              req.socket.destroy()
              return
            }
            const whole = Buffer.concat(body)
            res.writeHead(answer.statusCode ?? 502, { ...endToEnd(answer.headers), 'content-length': String(whole.length) })
            res.end(whole)
          })
          answer.on('error', () => req.socket.destroy())
        },
      )
      forward.on('error', () => req.socket.destroy())
      forward.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

// ---------------------------------------------------------------------------------------------
// The built CLI's `serve`, as a child process

export const REPO = join(import.meta.dirname, '..', '..')
export const CLI = join(REPO, 'dist', 'cli.mjs')

export type ServeChild = { child: ChildProcess; graphBaseUrl: string; driveItemUrl: string; driveItemId: string; exited: Promise<NodeJS.Signals | number | null> }

/** A free loopback port, so a restarted server comes back where its clients expect it. */
export async function freePort(): Promise<number> {
  const probe = createNetServer()
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((done) => probe.close(() => done()))
  return port
}

/** `node dist/cli.mjs serve --workbook FILE --port PORT`, resolved once it prints its drive item URL. */
export async function serveChild(workbook: string, port: number, startTimeoutMs = 120_000): Promise<ServeChild> {
  const child = spawn(process.execPath, [CLI, 'serve', '--workbook', workbook, '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<NodeJS.Signals | number | null>((done) => child.once('exit', (code, signal) => done(signal ?? code)))
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      fail(new Error(`serve did not start within ${startTimeoutMs} ms: ${stderr}`))
    }, startTimeoutMs)
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      const found = /use as a SOURCE\):\s*(\S+)/.exec(line)
      if (found?.[1]) {
        clearTimeout(timer)
        done(found[1])
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      fail(new Error(`serve exited (${signal ?? code}) before it started: ${stderr.trim()}`))
    })
  })
  const graphBaseUrl = url.slice(0, url.indexOf('/me/drive/items/'))
  const driveItemId = url.slice(url.lastIndexOf('/') + 1)
  return { child, graphBaseUrl, driveItemUrl: url, driveItemId, exited }
}

/** Prints one drill's report. */
export function printReport(r: DrillReport, print: (line: string) => void): void {
  print(`\n${r.key === '' ? '' : `[${r.key}] `}${r.title}`)
  for (const line of r.tried) print(`  tried:      ${line}`)
  for (const line of r.happened) print(`  happened:   ${line}`)
  print(`  lost: ${r.lost}   duplicated: ${r.duplicated}   crashed: ${r.crashed}   time: ${seconds(r.ms)}   ${r.pass ? 'PASS' : 'FAIL'}`)
  for (const note of r.notes) print(`  note:       ${note}`)
}
