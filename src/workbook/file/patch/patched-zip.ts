import { crc32, deflateRawSync } from 'node:zlib'
import { boxRef, parseBox, type Box } from '../../a1.ts'
import type { TableName } from '../../contract.ts'
import type { CellValue } from '../../raw.ts'
import { writeZip, type ZipEntry } from '../../../ooxml/zip-writer.ts'
import { partData, zipParts } from '../zip-size.ts'
import { readBook, type Book } from '../xlsx/book.ts'
import type { OpenedXlsx, TablePlace } from '../xlsx/read-tables.ts'
import { emptyGrid, scanRows } from '../xlsx/sheet-rows.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { xlsxParts } from '../xlsx/zip-entries.ts'
import { xmlOf, type Xml } from '../xlsx/xml-text.ts'
import type { Expected } from './sheet-edits.ts'
import { cellAddress, type WrittenRow } from './sheet-xml.ts'
import { segmentsOf, streamOf, type DeflateCache, type Replaced, type Segment } from './segments.ts'

/** A workbook's zip with some parts edited, and the read-back that must pass before it replaces the file. */

export type PatchedWrite = {
  /** The new workbook's bytes, zipped on first call (deflating is most of an edit's time). */
  zip(): Buffer
  /** What a read of the written file shows that differs from what was meant, or null: the save's read-back. */
  differences(written: Buffer): string | null
  /** The written workbook as read for the next edit, without inflating again what was just written. */
  reopened(): OpenedXlsx
  /** The segments the written parts were deflated in, for the next edit (empty without a cache). */
  deflateCache(): DeflateCache
}


/** A part as edited, with what each row written whole must read as (null: a cell left as it was, whose old value, when given, is in `before`). */
export type PartChange = {
  bytes: Buffer
  /** The edited part ready to scan again. */
  xml: Xml
  /** The stretches of the old part the edits replaced, sorted (segments.ts deflates only around them). */
  replaced?: readonly Replaced[]
  rows: WrittenRow[]
  /** The sheet the rows are on: its name, the written table's range and the cells it links. */
  sheet?: { name: string; box: Box; hyperlinks: ReadonlySet<string> }
  expected?: ReadonlyMap<number, { cells: readonly (Expected | null)[]; before?: readonly CellValue[] }>
}

/** The zip again with `changed` parts (name → bytes) deflated anew at `level` and every other part copied as it is. */
function rezip(buf: Buffer, changed: ReadonlyMap<string, PartChange>, level: number, cache: DeflateCache | null): { bytes: Buffer; streams: Map<string, Buffer>; cache: Map<string, readonly Segment[]> } {
  const listed = zipParts(buf)
  if (!listed.ok) unmodeled(listed.error)
  const streams = new Map<string, Buffer>()
  const next = new Map<string, readonly Segment[]>()
  const entries = listed.value.map((part): ZipEntry => {
    const name = part.name.startsWith('/') ? part.name.slice(1) : part.name
    const change = changed.get(name)
    if (change !== undefined) {
      const data = change.bytes
      let stream: Buffer
      if (cache === null) stream = deflateRawSync(data, { level })
      else {
        // Without the stretches it replaced, the part's old segments say nothing about the new one.
        const segments = segmentsOf(data, level, change.replaced ? cache.get(name) : undefined, change.replaced ?? [])
        next.set(name, segments)
        stream = streamOf(segments)
      }
      streams.set(name, stream)
      return { name: part.name, method: 8, crc: crc32(data), size: data.length, data: stream }
    }
    const kept = cache?.get(name)
    if (kept) next.set(name, kept)
    const stored = partData(buf, part)
    if (stored === null || (part.method !== 0 && part.method !== 8)) unmodeled(`part ${part.name} cannot be copied`)
    return { name: part.name, method: part.method, crc: part.crc, size: part.size, data: stored }
  })
  if (streams.size !== changed.size) unmodeled('a changed part missing from the zip')
  const zip = writeZip(entries)
  return { bytes: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), streams, cache: next }
}

function sameValue(a: CellValue | undefined, b: CellValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  return a === b
}

/** What the read-back of a sheet's written rows needs to know of it. */
export function sheetOf(place: TablePlace): NonNullable<PartChange['sheet']> {
  return { name: place.sheet.name, box: place.box, hyperlinks: place.structure.hyperlinks }
}

/** Closes a lone row so the row scanner sees the end of its rows. */
const END_OF_ROWS = Buffer.from('</sheetData>', 'latin1')

/** The first written cell of a changed sheet that reads otherwise than meant, as a sentence; null when all read as meant. */
function rowDifference(opened: OpenedXlsx, change: PartChange): string | null {
  const { sheet } = change
  if (!sheet) return null
  const ctx = { styles: opened.styles, sharedStrings: opened.sharedStrings, date1904: opened.book.date1904, hyperlinks: sheet.hyperlinks, sharedFormulas: new Map<string, string | undefined>() }
  for (const row of change.rows) {
    // Rows must stay in order: Excel repairs a sheet whose rows are not.
    const before = neighbourRow(change.xml.text, row.start, false)
    const after = neighbourRow(change.xml.text, row.end, true)
    if ((before !== null && before >= row.r) || (after !== null && after <= row.r)) return `${sheet.name} row ${row.r} is out of order`
    const want = change.expected?.get(row.r)
    if (!want) continue
    const grid = emptyGrid({ ...sheet.box, top: row.r, bottom: row.r })
    const own = change.bytes.subarray(row.start, row.end)
    scanRows(xmlOf(Buffer.concat([own, END_OF_ROWS])), 0, own.length, [grid], ctx)
    const values = grid.values[0] ?? grid.blankValues
    const formats = grid.formats[0] ?? grid.blankFormats
    for (let c = 0; c < want.cells.length; c += 1) {
      const cell = want.cells[c]
      const address = `${sheet.name}!${cellAddress(row.r, sheet.box.left + c)}`
      if (cell === null || cell === undefined) {
        if (want.before && !sameValue(values[c], want.before[c] ?? '')) return `${address} changed where nothing was written`
      } else if (!sameValue(values[c], cell.value) || formats[c] !== cell.numberFormat) {
        return `${address} reads ${JSON.stringify(values[c])} (${formats[c]}) where ${JSON.stringify(cell.value)} (${cell.numberFormat}) was written`
      }
    }
  }
  return null
}

/** The range the book's table of that name declares, or null. */
function declaredBox(book: Book, table: TableName): Box | null {
  for (const sheet of book.sheets) {
    for (const def of sheet.tables.values()) if (def.name?.toLowerCase() === table.toLowerCase() && def.ref !== undefined) return parseBox(def.ref)
  }
  return null
}

/**
 * What a read of the written copy shows that differs from what was meant, or null. Every part
 * not edited must be the very bytes it was, and every edited one the very stream deflated from
 * the bytes made (zlib's deflate, or segments each checked against its bytes' CRC), with their
 * size and CRC; the tables must declare their new ranges; and each row written must read cell
 * by cell as meant. Nothing else is parsed: the ChangeLog's old rows are bytes copied, not read.
 */
function writtenDifference(opened: OpenedXlsx, original: Buffer, written: Buffer, changed: ReadonlyMap<string, PartChange>, streams: ReadonlyMap<string, Buffer>, boxes: ReadonlyMap<TableName, Box>): string | null {
  const before = zipParts(original)
  const after = zipParts(written)
  if (!before.ok || !after.ok) return 'the new copy is not a zip'
  const old = new Map(before.value.map((part) => [part.name, part]))
  for (const part of after.value) {
    const data = partData(written, part)
    const name = part.name.replace(/^\//, '')
    const made = changed.get(name)
    if (made) {
      if (data === null || part.method !== 8 || part.size !== made.bytes.length || part.crc !== crc32(made.bytes) || !data.equals(streams.get(name) ?? Buffer.alloc(0))) return `part ${part.name} does not read back as written`
      continue
    }
    const was = old.get(part.name)
    if (!was || part.crc !== was.crc || data === null || !data.equals(partData(original, was) ?? Buffer.alloc(0))) return `part ${part.name} is not the part it was`
  }
  let book: Book
  try {
    // Styles are the very bytes they were (checked above): what was read of them holds.
    book = readBook(xlsxParts(written, new Map([...changed].map(([part, change]) => [part, change.xml]))), opened.styles)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  for (const [table, box] of boxes) {
    const declared = declaredBox(book, table)
    if (declared === null) return `the ${table} table is gone`
    if (boxRef(declared) !== boxRef(box)) return `the ${table} table spans ${boxRef(declared)} where ${boxRef(box)} was meant`
  }
  for (const change of changed.values()) {
    let differs: string | null
    try {
      differs = rowDifference(opened, change)
    } catch (error) {
      // A row the reader cannot read as exceljs would is no row written as meant.
      differs = error instanceof Error ? error.message : String(error)
    }
    if (differs !== null) return differs
  }
  return null
}

/** The number of the `<row>` element that ends just before `at` or starts at `at` (`after`), or null when there is none there. */
function neighbourRow(text: string, at: number, after: boolean): number | null {
  const start = after ? (text.startsWith('<row', at) ? at : -1) : text.lastIndexOf('<row', at - 1)
  if (start < 0 || (!after && text.indexOf('>', start) > at)) return null
  const m = /^<row\b[^>]*?\sr="(\d+)"/.exec(text.slice(start, text.indexOf('>', start) + 1))
  return m ? Number(m[1]) : null
}

/** zlib's default: what a saved workbook is deflated at unless its writer needs speed more than size. */
export const DEFAULT_DEFLATE_LEVEL = 6

/**
 * The edited zip and its read-back: `boxes` are the ranges the written tables must span; changed
 * parts are deflated at `level`, in segments (segments.ts) when a `cache` of the original's is
 * given, whole otherwise.
 */
export function patchedWrite(opened: OpenedXlsx, original: Buffer, changed: ReadonlyMap<string, PartChange>, boxes: ReadonlyMap<TableName, Box>, level = DEFAULT_DEFLATE_LEVEL, cache: DeflateCache | null = null): PatchedWrite {
  let zipped: ReturnType<typeof rezip> | null = null
  const zip = () => (zipped ??= rezip(original, changed, level, cache))
  return {
    zip: () => zip().bytes,
    deflateCache: () => zip().cache,
    differences: (written) => writtenDifference(opened, original, written, changed, zip().streams, boxes),
    reopened() {
      const parts = xlsxParts(zip().bytes, new Map([...changed].map(([part, change]) => [part, change.xml])))
      return { ...opened, parts, book: readBook(parts, opened.styles) }
    },
  }
}
