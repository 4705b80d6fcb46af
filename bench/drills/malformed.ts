import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import JSZip from 'jszip'
import { loadPlan } from '../../src/app/load-plan.ts'
import { ok } from '../../src/domain/result.ts'
import { columnMatches, CONTRACT, findColumn, isOptionalTable, isTableName, TABLE_NAMES } from '../../src/workbook/contract.ts'
import { openFileStore } from '../../src/workbook/file/file-store.ts'
import type { Problem } from '../../src/workbook/problem.ts'
import type { CellValue, RawTable, RawWorkbook } from '../../src/workbook/raw.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import type { CheckAnswer } from './check-child.ts'
import { count, pick, REPO, report, seconds, seeded, type DrillReport } from './common.ts'

/**
 * Drill 5: malformed workbooks through `check`, generated from a seed. Most are the sample
 * district's tables read once and then broken in memory (tables and columns dropped, headers
 * renamed or doubled, keys blanked or repeated, references dangling, cells given junk of every
 * type, rows cut short or run long, number formats and origins askew), each checked exactly as
 * `pm-workbook check` checks what it read (`loadPlan` over all contract tables). The rest are real
 * .xlsx files broken at the zip and XML level (parts dropped or cut, cell types and values
 * swapped, table ranges and names wrong, rows and cells misnumbered, bytes flipped), each put
 * through the check command's own function in-process. Nothing may throw or hang, and every
 * problem must be placed: its table named, and a row, column or cell unless the whole table is
 * missing. Problems a mutation must cause (a dropped table, a missing required column, a blank or
 * repeated key) are looked for too.
 */

export type MalformedOptions = { workbook: string; total: number; files: number; seed: number; fileTimeoutMs: number; rowsKept: number }

/** The heap the checker process gets: several times what checking the sample needs. */
const CHECK_HEAP_MB = 1024

/** The check command in a child process (check-child.ts), started again whenever one dies or hangs. */
class Checker {
  private child: ChildProcess | null = null
  private lines: AsyncIterator<string> | null = null
  lastDeath = ''

  constructor(private readonly timeoutMs: number) {}

  private start(): { child: ChildProcess; lines: AsyncIterator<string> } {
    if (this.child && this.lines) return { child: this.child, lines: this.lines }
    const child = spawn(process.execPath, [`--max-old-space-size=${CHECK_HEAP_MB}`, '--import', 'tsx', join(import.meta.dirname, 'check-child.ts')], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-2000)
    })
    child.once('exit', (code, signal) => {
      this.lastDeath = `${signal ?? `exit ${code}`}${/heap out of memory/i.test(stderr) ? ', JavaScript heap out of memory' : ''}`
    })
    this.child = child
    this.lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
    return { child, lines: this.lines }
  }

  async check(path: string, cwd: string): Promise<CheckAnswer | 'hung' | 'died'> {
    const { child, lines } = this.start()
    child.stdin?.write(`${JSON.stringify({ path, cwd })}\n`)
    let timer: NodeJS.Timeout | undefined
    let onExit = () => undefined as void
    const exited = new Promise<'died'>((done) => {
      onExit = () => done('died')
      child.once('exit', onExit)
    })
    const timeout = new Promise<'hung'>((done) => {
      timer = setTimeout(() => done('hung'), this.timeoutMs)
    })
    const answer = await Promise.race([lines.next().then((r) => (r.done ? ('died' as const) : (JSON.parse(r.value) as CheckAnswer))), exited, timeout])
    clearTimeout(timer)
    child.off('exit', onExit)
    if (answer === 'hung' || answer === 'died') {
      child.kill('SIGKILL')
      if (answer === 'died') await new Promise((done) => setTimeout(done, 50))
      this.child = null
      this.lines = null
    }
    return answer
  }

  close(): void {
    this.child?.stdin?.end()
    this.child = null
    this.lines = null
  }
}

const JUNK: unknown[] = [
  '',
  ' ',
  '#N/A',
  '#REF!',
  '#DIV/0!',
  'abc',
  'N/A',
  '2026-13-45',
  '31/12/2026',
  '1e3',
  'done',
  'DONE ',
  'Not Started',
  '=SUM(A1:A9)',
  "'quoted",
  '\u0000\u0007\u001f control',
  '😀 emoji',
  'x'.repeat(40_000),
  -1,
  0,
  0.5,
  1e308,
  -1e308,
  2_958_466,
  60,
  100,
  101,
  -0.01,
  true,
  false,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  null,
  undefined,
  {},
  [],
  { richText: [{ text: 'rich' }] },
]

const REFERENCE_COLUMNS = ['WigId', 'MeasureId', 'StrategyId', 'Owner']

type Expectation = { what: string; found: (problems: readonly Problem[]) => boolean }

const clone = (raw: RawWorkbook): RawWorkbook => structuredClone(raw)

/** One malformed copy of `base`, with 1–5 mutations; returns what it did. */
function mutate(base: RawWorkbook, random: () => number): { raw: RawWorkbook; did: string[] } {
  const raw = clone(base)
  const did: string[] = []
  // A table whose rows or headers were replaced by garbage is left alone after that.
  const present = () => TABLE_NAMES.filter((t) => Array.isArray(raw.tables[t]?.headers) && Array.isArray(raw.tables[t]?.rows) && (raw.tables[t]?.rows ?? []).every(Array.isArray) && (raw.tables[t]?.headers ?? []).every((h) => typeof h === 'string'))
  const n = 1 + Math.floor(random() * 5)
  for (let i = 0; i < n; i += 1) {
    const names = present()
    if (names.length === 0) break
    const name = pick(random, names)
    const t = raw.tables[name] as RawTable
    const row = () => Math.floor(random() * Math.max(1, t.rows.length))
    const column = () => Math.floor(random() * Math.max(1, t.headers.length))
    const kind = pick(random, ['dropTable', 'dropColumn', 'renameHeader', 'doubleHeader', 'junkCell', 'junkCell', 'junkCell', 'blankKey', 'repeatKey', 'dangling', 'shortRow', 'longRow', 'emptyRows', 'noRows', 'formats', 'origin', 'garbage'] as const)
    switch (kind) {
      case 'dropTable':
        delete raw.tables[name]
        raw.missing.push(name)
        break
      case 'dropColumn': {
        const c = column()
        t.headers.splice(c, 1)
        for (const r of t.rows) r.splice(c, 1)
        // Rows formatted alike share one array (sheet-rows.ts): each row gets a copy, never an edit.
        if (t.numberFormats) t.numberFormats = t.numberFormats.map((f) => f.filter((_, i) => i !== c))
        break
      }
      case 'renameHeader':
        t.headers[column()] = pick(random, ['', ' ', 'Status2', 'Due  Date', 'STEP_ID', 'wig-id', 'Email Address', CONTRACT[pick(random, TABLE_NAMES)].columns[0]?.name ?? 'X', '#REF!', 'Notes'])
        break
      case 'doubleHeader': {
        const c = column()
        const header = t.headers[c] ?? 'X'
        t.headers.push(pick(random, [header, header.toUpperCase(), header.replace(/([a-z])([A-Z])/g, '$1 $2'), `${header}.`]))
        for (const r of t.rows) r.push(pick(random, ['', 'dup', 1]) as CellValue)
        break
      }
      case 'junkCell':
        if (t.rows.length === 0) break
        ;(t.rows[row()] as unknown[])[column()] = pick(random, JUNK)
        break
      case 'blankKey': {
        const key = CONTRACT[name].key
        const k = key ? findColumn(t.headers, key) : -1
        if (k < 0 || t.rows.length === 0) break
        const r = t.rows[row()] as CellValue[]
        r[k] = ''
        break
      }
      case 'repeatKey': {
        const key = CONTRACT[name].key
        const k = key ? findColumn(t.headers, key) : -1
        if (k < 0 || t.rows.length < 2) break
        const from = t.rows[row()] as CellValue[]
        const to = t.rows[row()] as CellValue[]
        to[k] = from[k] ?? ''
        break
      }
      case 'dangling': {
        const c = findColumn(t.headers, pick(random, REFERENCE_COLUMNS))
        if (c < 0 || t.rows.length === 0) break
        ;(t.rows[row()] as CellValue[])[c] = pick(random, ['WIG-9999', 'M-9999', 'S-99', 'nobody@nowhere.example', 'not an email'])
        break
      }
      case 'shortRow':
        if (t.rows.length > 0) (t.rows[row()] as CellValue[]).length = Math.floor(random() * t.headers.length)
        break
      case 'longRow':
        if (t.rows.length > 0) (t.rows[row()] as CellValue[]).push(...Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random, JUNK) as CellValue))
        break
      case 'emptyRows':
        t.rows.splice(row(), 0, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => t.headers.map(() => '' as CellValue)))
        delete t.numberFormats
        break
      case 'noRows':
        t.rows = []
        t.numberFormats = []
        break
      case 'formats':
        if (t.numberFormats && t.rows.length > 0) {
          const r = row()
          const c = column()
          const f = t.numberFormats[r]
          const format = pick(random, ['0%', 'yyyy-mm-dd', '@', '#,##0.00', 'General', '[h]:mm', ''])
          if (f) t.numberFormats[r] = f.map((was, i) => (i === c ? format : was))
          if (random() < 0.3) t.numberFormats.pop()
        }
        break
      case 'origin':
        if (random() < 0.5) delete t.origin
        else t.origin = { sheet: pick(random, ["It's odd", 'Σ sheet', 'A'.repeat(31)]), row: pick(random, [1, 1_048_575, 7]), column: pick(random, [1, 16_383, 4]) }
        break
      case 'garbage':
        // What no backend sends, but what a decoder must survive (check.ts sanitizes it).
        if (random() < 0.5) (t as unknown as { rows: unknown }).rows = pick(random, [null, 'rows', [null, 1, 'x'], {}])
        else (t as unknown as { headers: unknown }).headers = pick(random, [null, [null, 1, {}], 'headers'])
        break
      default:
        break
    }
    did.push(`${kind} ${name}`)
  }
  return { raw, did }
}

/** Problems a mutated workbook must show, decided from the contract alone. */
function expectations(raw: RawWorkbook): Expectation[] {
  const out: Expectation[] = []
  for (const name of TABLE_NAMES) {
    const t = raw.tables[name]
    if (!t) {
      if (!isOptionalTable(name)) out.push({ what: `${name} missing`, found: (ps) => ps.some((p) => p.table === name) })
      continue
    }
    if (!Array.isArray(t.headers) || !Array.isArray(t.rows)) continue
    const headers = t.headers.map((h) => (typeof h === 'string' ? h : String(h ?? '')))
    let readable = true
    for (const column of CONTRACT[name].required) {
      if (findColumn(headers, column) < 0) {
        readable = false
        out.push({ what: `${name} has no ${column} column`, found: (ps) => ps.some((p) => p.table === name && p.column === column) })
      }
    }
    // A contract column read twice makes the table unreadable (which one?): its rows are not checked.
    if (CONTRACT[name].columns.some((c) => columnMatches(headers, c.name).length > 1)) readable = false
    const key = CONTRACT[name].key
    const k = key ? findColumn(headers, key) : -1
    if (!readable || k < 0 || name === 'Settings') continue
    // Rows are read by their contract columns: data elsewhere (an extra column) does not make a row.
    const contractColumns = CONTRACT[name].columns.map((c) => findColumn(headers, c.name)).filter((j) => j >= 0 && j !== k)
    const seen = new Map<string, number>()
    t.rows.forEach((row, i) => {
      if (!Array.isArray(row)) return
      const value: unknown = row[k]
      // What a cell of another type reads as is the decoder's call: only text and numbers are judged here.
      if (typeof value !== 'string' && typeof value !== 'number') return
      const text = String(value).trim()
      const rowHasData = contractColumns.some((j) => {
        const v: unknown = row[j]
        return (typeof v === 'string' && v.trim() !== '') || typeof v === 'number' || typeof v === 'boolean'
      })
      if (text === '' && rowHasData) out.push({ what: `${name} row ${i + 1} has no ${key}`, found: (ps) => ps.some((p) => p.table === name && p.row !== null) })
      if (text !== '' && seen.has(text)) out.push({ what: `${name} repeats ${key} ${text}`, found: (ps) => ps.some((p) => p.table === name && (p.key === text || p.message.includes(text))) })
      seen.set(text, i)
    })
  }
  return out
}

/** Whether a problem says where it is: its table, and a row, column or cell unless the whole table is missing. */
function placed(p: Problem, raw: RawWorkbook | null): boolean {
  if (!isTableName(p.table)) return false
  if (typeof p.message !== 'string' || p.message.trim() === '') return false
  if (p.row !== null && !(Number.isInteger(p.row) && p.row > 0)) return false
  if (p.row !== null || p.column !== null || p.cell !== null) return true
  // Only a table that is not there at all is placed by its name alone.
  return raw === null ? /there is no .* table/i.test(p.message) : raw.tables[p.table] === undefined
}

function stubStore(raw: RawWorkbook): WorkbookStore {
  const refuse = () => Promise.reject(new Error('check only reads'))
  return { read: async () => ok(clone(raw)), readRow: refuse, updateRow: refuse, appendRows: refuse, assignKey: refuse, createTables: refuse, close: async () => undefined }
}

// ------------------------------------------------------------------- real files, broken as bytes

type Part = { name: string; text: string }

const FILE_MUTATIONS = [
  'dropPart',
  'cutPart',
  'cellValue',
  'cellType',
  'tableRef',
  'tableName',
  'tableColumn',
  'rowNumber',
  'cellRef',
  'sharedStrings',
  'sheetEntry',
  'entity',
  'truncateFile',
  'flipBytes',
  'notZip',
] as const

function replaceNth(text: string, pattern: RegExp, random: () => number, replace: (match: string) => string): string {
  const matches = [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))]
  if (matches.length === 0) return text
  const m = matches[Math.floor(random() * matches.length)] as RegExpMatchArray
  const at = m.index ?? 0
  return text.slice(0, at) + replace(m[0]) + text.slice(at + m[0].length)
}

/**
 * The first files are not left to chance: the ActionSteps table declared over whole columns, over
 * the whole sheet (both valid refs: XFD1048576 is a sheet's last cell), and past the sheet's end.
 */
const FIXED_REFS = ['A1:N1048576', 'A1:XFD1048576', 'A1:XFE1048577']

async function tableOver(parts: Part[], ref: string): Promise<{ bytes: Buffer; did: string }> {
  const zip = new JSZip()
  let did = `tableRef ActionSteps → ${ref} (no ActionSteps table found)`
  for (const p of parts) {
    let text = p.text
    if (/^xl\/tables\/table\d+\.xml$/.test(p.name) && / name="ActionSteps"/.test(text)) {
      text = text.replace(/ref="[^"]*"/g, `ref="${ref}"`)
      did = `tableRef ActionSteps (${p.name}) → ${ref}`
    }
    zip.file(p.name, text)
  }
  return { bytes: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), did }
}

async function brokenFile(base: Buffer, parts: Part[], random: () => number): Promise<{ bytes: Buffer; did: string }> {
  const kind = pick(random, FILE_MUTATIONS)
  if (kind === 'truncateFile') return { bytes: base.subarray(0, Math.floor(random() * base.length)), did: kind }
  if (kind === 'notZip') return { bytes: Buffer.from(pick(random, ['', 'hello', '<xml/>', 'PK\u0003\u0004 not really'])), did: kind }
  if (kind === 'flipBytes') {
    const bytes = Buffer.from(base)
    for (let i = 0; i < 1 + Math.floor(random() * 8); i += 1) {
      const at = Math.floor(random() * bytes.length)
      bytes[at] = (bytes[at] ?? 0) ^ (1 + Math.floor(random() * 255))
    }
    return { bytes, did: kind }
  }
  const edited = parts.map((p) => ({ ...p }))
  const sheets = edited.filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p.name))
  const tables = edited.filter((p) => /^xl\/tables\/table\d+\.xml$/.test(p.name))
  const byName = (name: string) => edited.find((p) => p.name === name)
  let did: string = kind
  switch (kind) {
    case 'dropPart': {
      const part = pick(random, edited)
      edited.splice(edited.indexOf(part), 1)
      did = `${kind} ${part.name}`
      break
    }
    case 'cutPart': {
      const part = pick(random, edited)
      part.text = part.text.slice(0, Math.floor(random() * part.text.length))
      did = `${kind} ${part.name}`
      break
    }
    case 'cellValue': {
      const sheet = pick(random, sheets)
      for (let i = 0; i < 1 + Math.floor(random() * 4); i += 1) sheet.text = replaceNth(sheet.text, /<v>[^<]*<\/v>/, random, () => `<v>${pick(random, ['abc', '-1', '99999999', '1e400', '', 'NaN', '2026-01-01', '&lt;&amp;'])}</v>`)
      did = `${kind} ${sheet.name}`
      break
    }
    case 'cellType': {
      const sheet = pick(random, sheets)
      for (let i = 0; i < 1 + Math.floor(random() * 4); i += 1) sheet.text = replaceNth(sheet.text, /<c r="[A-Z]+\d+"( s="\d+")?( t="\w+")?/, random, (m) => `${m.replace(/ t="\w+"/, '')} t="${pick(random, ['s', 'e', 'b', 'str', 'n', 'inlineStr', 'd', 'zzz'])}"`)
      did = `${kind} ${sheet.name}`
      break
    }
    case 'tableRef': {
      const table = pick(random, tables)
      // XFD1048576 is the last cell of a sheet: a table over whole columns, or the whole sheet, is a valid ref.
      const ref = pick(random, ['A1', 'A1:A1', 'Z9:A1', 'A1:XFD1048576', 'A1:N1048576', 'A1:XFE1048577', '', 'A1:B', 'B2:C3'])
      table.text = table.text.replace(/ref="[^"]*"/g, `ref="${ref}"`)
      did = `${kind} ${table.name} → ${ref}`
      break
    }
    case 'tableName': {
      const table = pick(random, tables)
      const name = pick(random, ['', 'WIGs', 'ActionSteps', 'Unknown', 'wigs', 'Action Steps'])
      table.text = table.text.replace(/ name="[^"]*"/, ` name="${name}"`).replace(/ displayName="[^"]*"/, ` displayName="${name}"`)
      did = `${kind} ${table.name}`
      break
    }
    case 'tableColumn': {
      const table = pick(random, tables)
      table.text = replaceNth(table.text, /<tableColumn [^>]*name="[^"]*"/, random, (m) => m.replace(/name="[^"]*"/, `name="${pick(random, ['', 'X', 'StepId', 'Status', 'Due Date'])}"`))
      did = `${kind} ${table.name}`
      break
    }
    case 'rowNumber': {
      const sheet = pick(random, sheets)
      sheet.text = replaceNth(sheet.text, /<row r="\d+"/, random, () => `<row r="${pick(random, ['0', '1048577', 'x', '2', '1'])}"`)
      did = `${kind} ${sheet.name}`
      break
    }
    case 'cellRef': {
      const sheet = pick(random, sheets)
      sheet.text = replaceNth(sheet.text, /<c r="[A-Z]+\d+"/, random, () => `<c r="${pick(random, ['A0', 'ZZZZ1', '', 'A1', '1A', 'XFE2'])}"`)
      did = `${kind} ${sheet.name}`
      break
    }
    case 'sharedStrings': {
      const strings = byName('xl/sharedStrings.xml')
      if (strings) {
        if (random() < 0.5) strings.text = strings.text.replace(/<si>(?:(?!<\/si>).)*<\/si>/s, '')
        else strings.text = strings.text.replace(/count="\d+"/, 'count="-5"').replace(/uniqueCount="\d+"/, 'uniqueCount="999999999"')
      }
      break
    }
    case 'sheetEntry': {
      const book = byName('xl/workbook.xml')
      if (book) book.text = replaceNth(book.text, /<sheet [^>]*\/>/, random, (m) => pick(random, ['', m.replace(/name="[^"]*"/, 'name="WIGs"'), m.replace(/r:id="[^"]*"/, 'r:id="rId999"'), `${m}${m}`]))
      break
    }
    case 'entity': {
      const sheet = pick(random, sheets)
      sheet.text = sheet.text.replace(/^(<\?xml[^>]*\?>)?/, (head) => `${head}<!DOCTYPE worksheet [<!ENTITY e "entity text">]>`).replace(/<v>[^<]*<\/v>/, '<v>&e;</v>')
      did = `${kind} ${sheet.name}`
      break
    }
    default:
      break
  }
  const zip = new JSZip()
  for (const p of edited) zip.file(p.name, p.text)
  return { bytes: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), did }
}

export async function malformedDrill(o: MalformedOptions): Promise<DrillReport> {
  const started = Date.now()
  const random = seeded(o.seed)
  const read = await openFileStore(o.workbook).read([...TABLE_NAMES])
  if (!read.ok) throw new Error(`the sample could not be read: ${read.error.kind}`)
  // Decoding the whole sample takes some milliseconds; its check-ins and steps cut to a few rows
  // each, 10,000 copies fit the time budget and every kind of row is still there to break.
  const base = { value: structuredClone(read.value) }
  for (const name of ['CheckIns', 'ActionSteps'] as const) {
    const t = base.value.tables[name]
    if (!t) continue
    t.rows = t.rows.slice(0, o.rowsKept)
    if (t.numberFormats) t.numberFormats = t.numberFormats.slice(0, o.rowsKept)
  }

  let crashed = 0
  let problemsTotal = 0
  let unplaced = 0
  let withProblems = 0
  let expected = 0
  let missed = 0
  const crashExamples: string[] = []
  const unplacedExamples: string[] = []
  const missedExamples: string[] = []
  const noteOnce = (list: string[], text: string) => {
    if (list.length < 6 && !list.includes(text)) list.push(text)
  }

  // In memory: what `check` does once the tables are read.
  const inMemory = o.total - o.files
  const memoryStarted = Date.now()
  for (let i = 0; i < inMemory; i += 1) {
    const { raw, did } = mutate(base.value, random)
    let problems: Problem[]
    try {
      const loaded = await loadPlan(stubStore(raw), [...TABLE_NAMES])
      if (!loaded.ok) throw new Error(`read failed: ${loaded.error.kind}`)
      problems = loaded.value.problems
    } catch (e) {
      crashed += 1
      noteOnce(crashExamples, `workbook ${i + 1} (${did.join(', ')}): ${e instanceof Error ? e.message : String(e)}`)
      continue
    }
    problemsTotal += problems.length
    if (problems.length > 0) withProblems += 1
    for (const p of problems) {
      if (!placed(p, raw)) {
        unplaced += 1
        noteOnce(unplacedExamples, `workbook ${i + 1} (${did.join(', ')}): ${JSON.stringify(p)}`)
      }
    }
    for (const e of expectations(raw)) {
      expected += 1
      if (!e.found(problems)) {
        missed += 1
        noteOnce(missedExamples, `workbook ${i + 1} (${did.join(', ')}): ${e.what}, not reported`)
      }
    }
  }
  const memoryMs = Date.now() - memoryStarted

  // Real files, through the check command's own function.
  const dir = await mkdtemp(join(tmpdir(), 'pmw-drill-check-'))
  const baseBytes = await readFile(o.workbook)
  const zip = await JSZip.loadAsync(baseBytes)
  const parts: Part[] = []
  for (const name of Object.keys(zip.files)) {
    const file = zip.file(name)
    if (file) parts.push({ name, text: await file.async('string') })
  }
  const exits = { fine: 0, problems: 0, unreadable: 0, refused: 0 }
  let hung = 0
  let outOfMemory = 0
  const checker = new Checker(o.fileTimeoutMs)
  const fixedLines: string[] = []
  const filesStarted = Date.now()
  try {
    for (let i = 0; i < o.files; i += 1) {
      const { bytes, did } = i < FIXED_REFS.length ? await tableOver(parts, FIXED_REFS[i] ?? '') : await brokenFile(baseBytes, parts, random)
      const path = join(dir, `broken-${i + 1}.xlsx`)
      await writeFile(path, bytes)
      const fileStarted = Date.now()
      const answer = await checker.check(path, dir)
      if (i < FIXED_REFS.length) fixedLines.push(`file ${i + 1} (${did}): ${typeof answer === 'string' ? answer : answer.thrown ? `threw ${answer.thrown.name}` : `exit ${answer.code}`} in ${seconds(Date.now() - fileStarted)}`)
      if (answer === 'hung' || answer === 'died') {
        crashed += 1
        if (answer === 'hung') hung += 1
        else outOfMemory += 1
        noteOnce(crashExamples, `file ${i + 1} (${did}): ${answer === 'hung' ? `check did not finish within ${seconds(o.fileTimeoutMs)}` : `check died (${checker.lastDeath}) with a ${CHECK_HEAP_MB} MB heap`}`)
        continue
      }
      if (answer.thrown) {
        // A usage error is the command's own refusal, printed as one line: not a crash.
        if (answer.thrown.name === 'UsageError') exits.refused += 1
        else {
          crashed += 1
          noteOnce(crashExamples, `file ${i + 1} (${did}): ${answer.thrown.message}`)
        }
        continue
      }
      if (answer.code === 0) exits.fine += 1
      else if (answer.code === 2) {
        exits.unreadable += 1
        if (answer.err.trim() === '') {
          unplaced += 1
          noteOnce(unplacedExamples, `file ${i + 1} (${did}): unreadable, with no message`)
        }
      } else {
        exits.problems += 1
        withProblems += 1
        let problems: Problem[] = []
        try {
          problems = (JSON.parse(answer.out) as { problems: Problem[] }).problems
        } catch {
          crashed += 1
          noteOnce(crashExamples, `file ${i + 1} (${did}): check --json printed no JSON`)
          continue
        }
        problemsTotal += problems.length
        for (const p of problems) {
          if (!placed(p, null)) {
            unplaced += 1
            noteOnce(unplacedExamples, `file ${i + 1} (${did}): ${JSON.stringify(p)}`)
          }
        }
      }
    }
  } finally {
    checker.close()
  }
  const filesMs = Date.now() - filesStarted
  await rm(dir, { recursive: true, force: true })

  const notes = [...fixedLines, ...crashExamples.map((e) => `crash: ${e}`), ...unplacedExamples.map((e) => `unplaced: ${e}`), ...missedExamples.map((e) => `missed: ${e}`)]
  return report({
    key: 'check',
    title: `Drill 5: ${count(o.total)} malformed workbooks through \`check\``,
    tried: [
      `${count(inMemory)} copies of the sample district's tables (check-ins and steps cut to ${o.rowsKept} rows each, to fit the time budget) broken in memory (1–5 mutations each) and checked as \`check\` checks what it read, in ${seconds(memoryMs)}`,
      `${count(o.files)} real .xlsx files broken at the zip and XML level, each through the check command's own function (in one checker process with a ${CHECK_HEAP_MB} MB heap, started again if it dies), in ${seconds(filesMs)}`,
    ],
    triedFigures: { workbooks: o.total, inMemory, files: o.files },
    happened: [
      `${count(withProblems)} workbooks with problems, ${count(problemsTotal)} problems in all, ${count(unplaced)} not placed; files: ${exits.fine} fine (exit 0), ${exits.problems} with problems (exit 1), ${exits.unreadable} unreadable (exit 2, with a message), ${exits.refused} refused as not a workbook, ${hung} hung, ${outOfMemory} died`,
      `${count(expected)} problems the mutations must cause (a missing table or required column, a blank or repeated key): ${count(expected - missed)} reported, ${count(missed)} missed`,
    ],
    happenedFigures: { withProblems, problems: problemsTotal, unplaced, filesFine: exits.fine, filesProblems: exits.problems, filesUnreadable: exits.unreadable, filesRefused: exits.refused, hung, outOfMemory, expected, missed },
    lost: 0,
    duplicated: 0,
    crashed,
    ms: Date.now() - started,
    notes,
    pass: crashed === 0 && unplaced === 0,
  })
}
