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

/** A workbook's zip with some parts edited, and the read-back that must pass before it replaces the file. */

export type PatchedWrite = {
  /** The new workbook's bytes, zipped on first call (deflating is most of an edit's time). */
  zip(): Buffer
  /** What a read of the written file shows that differs from what was meant, or null: the save's read-back. */
  differences(written: Buffer): string | null
  /** The written workbook as read for the next edit, without inflating again what was just written. */
  reopened(): OpenedXlsx
}

/** A changed part as it went into the zip. */
type Deflated = { crc: number; data: Buffer }

/** A part as edited, with what each row written whole must read as (null: a cell left as it was, whose old value, when given, is in `before`). */
export type PartChange = {
  bytes: Buffer
  /** The edited part ready to scan again. */
  xml: Xml
  rows: WrittenRow[]
  /** The sheet the rows are on: its name, the written table's range and the cells it links. */
  sheet?: { name: string; box: Box; hyperlinks: ReadonlySet<string> }
  expected?: ReadonlyMap<number, { cells: readonly (Expected | null)[]; before?: readonly CellValue[] }>
}

/** The zip again with `changed` parts (name → bytes) deflated anew at `level` and every other part copied as it is. */
function rezip(buf: Buffer, changed: ReadonlyMap<string, Buffer>, level: number): { bytes: Buffer; deflated: Map<string, Deflated> } {
  const listed = zipParts(buf)
  if (!listed.ok) unmodeled(listed.error)
  const deflated = new Map<string, Deflated>()
  const entries = listed.value.map((part): ZipEntry => {
    const name = part.name.startsWith('/') ? part.name.slice(1) : part.name
    const data = changed.get(name)
    if (data !== undefined) {
      const entry = { crc: crc32(data), data: deflateRawSync(data, { level }) }
      deflated.set(name, entry)
      return { name: part.name, method: 8, crc: entry.crc, size: data.length, data: entry.data }
    }
    const stored = partData(buf, part)
    if (stored === null || (part.method !== 0 && part.method !== 8)) unmodeled(`part ${part.name} cannot be copied`)
    return { name: part.name, method: part.method, crc: part.crc, size: part.size, data: stored }
  })
  if (deflated.size !== changed.size) unmodeled('a changed part missing from the zip')
  const zip = writeZip(entries)
  return { bytes: Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength), deflated }
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
 * not edited must be the very bytes it was, and every edited one the very bytes deflated from
 * what was made (with its CRC); the tables must declare their new ranges; and each row written
 * must read cell by cell as meant. Nothing else is parsed: the ChangeLog's old rows are bytes
 * copied, not read again.
 */
function writtenDifference(opened: OpenedXlsx, original: Buffer, written: Buffer, changed: ReadonlyMap<string, PartChange>, deflated: ReadonlyMap<string, Deflated>, boxes: ReadonlyMap<TableName, Box>): string | null {
  const before = zipParts(original)
  const after = zipParts(written)
  if (!before.ok || !after.ok) return 'the new copy is not a zip'
  const old = new Map(before.value.map((part) => [part.name, part]))
  for (const part of after.value) {
    const data = partData(written, part)
    const made = deflated.get(part.name.replace(/^\//, ''))
    if (made) {
      if (part.crc !== made.crc || data === null || !data.equals(made.data)) return `part ${part.name} does not read back as written`
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
    const differs = rowDifference(opened, change)
    if (differs !== null) return differs
  }
  return null
}

/** zlib's default: what a saved workbook is deflated at unless its writer needs speed more than size. */
export const DEFAULT_DEFLATE_LEVEL = 6

/** The edited zip and its read-back: `boxes` are the ranges the written tables must span; changed parts are deflated at `level`. */
export function patchedWrite(opened: OpenedXlsx, original: Buffer, changed: ReadonlyMap<string, PartChange>, boxes: ReadonlyMap<TableName, Box>, level = DEFAULT_DEFLATE_LEVEL): PatchedWrite {
  const edited = new Map([...changed].map(([part, change]) => [part, change.bytes]))
  let zipped: ReturnType<typeof rezip> | null = null
  const zip = () => (zipped ??= rezip(original, edited, level))
  return {
    zip: () => zip().bytes,
    differences: (written) => writtenDifference(opened, original, written, changed, zip().deflated, boxes),
    reopened() {
      const parts = xlsxParts(zip().bytes, new Map([...changed].map(([part, change]) => [part, change.xml])))
      return { ...opened, parts, book: readBook(parts, opened.styles) }
    },
  }
}
