import { crc32, deflateRawSync } from 'node:zlib'
import { boxRef, type Box } from '../../a1.ts'
import type { TableName } from '../../contract.ts'
import type { CellValue } from '../../raw.ts'
import { writeZip, type ZipEntry } from '../../../ooxml/zip-writer.ts'
import { partData, zipParts } from '../zip-size.ts'
import { readBook } from '../xlsx/book.ts'
import { cellContext, placeTable, type OpenedXlsx, type TablePlace } from '../xlsx/read-tables.ts'
import { emptyGrid, scanRows } from '../xlsx/sheet-rows.ts'
import { unmodeled } from '../xlsx/unmodeled.ts'
import { xlsxParts } from '../xlsx/zip-entries.ts'
import type { Expected } from './sheet-edits.ts'
import { cellAddress, type WrittenRow } from './sheet-xml.ts'

/** A workbook's zip with some parts edited, and the read-back that must pass before it replaces the file. */

export type PatchedWrite = {
  bytes: Buffer
  /** What a read of the written file shows that differs from what was meant, or null: the save's read-back. */
  differences(written: Buffer): string | null
}

/** A part as edited, with what each row written whole must read as (null: a cell left as it was, whose old value, when given, is in `before`). */
export type PartChange = { bytes: Buffer; rows: WrittenRow[]; expected?: ReadonlyMap<number, { cells: readonly (Expected | null)[]; before?: readonly CellValue[] }> }

/** The zip again with `changed` parts (name → bytes) deflated anew and every other part copied as it is. */
export function rezip(buf: Buffer, changed: ReadonlyMap<string, Buffer>): Buffer {
  const listed = zipParts(buf)
  if (!listed.ok) unmodeled(listed.error)
  const used = new Set<string>()
  const entries = listed.value.map((part): ZipEntry => {
    const name = part.name.startsWith('/') ? part.name.slice(1) : part.name
    const data = changed.get(name)
    if (data !== undefined) {
      used.add(name)
      return { name: part.name, method: 8, crc: crc32(data), size: data.length, data: deflateRawSync(data) }
    }
    const stored = partData(buf, part)
    if (stored === null || (part.method !== 0 && part.method !== 8)) unmodeled(`part ${part.name} cannot be copied`)
    return { name: part.name, method: part.method, crc: part.crc, size: part.size, data: stored }
  })
  if (used.size !== changed.size) unmodeled('a changed part missing from the zip')
  const zip = writeZip(entries)
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)
}

function sameValue(a: CellValue | undefined, b: CellValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))
  return a === b
}

/** The first written cell of a changed sheet that reads otherwise than meant, as a sentence; null when all read as meant. */
function rowDifference(again: OpenedXlsx, place: TablePlace, change: PartChange): string | null {
  const { box } = place
  for (const row of change.rows) {
    const want = change.expected?.get(row.r)
    if (!want) continue
    const grid = emptyGrid({ ...box, top: row.r, bottom: row.r })
    scanRows(place.xml, row.start, row.end, [grid], cellContext(again, place.structure))
    const values = grid.values[0] ?? grid.blankValues
    const formats = grid.formats[0] ?? grid.blankFormats
    for (let c = 0; c < want.cells.length; c += 1) {
      const cell = want.cells[c]
      const address = `${place.sheet.name}!${cellAddress(row.r, box.left + c)}`
      if (cell === null || cell === undefined) {
        if (want.before && !sameValue(values[c], want.before[c] ?? '')) return `${address} changed where nothing was written`
      } else if (!sameValue(values[c], cell.value) || formats[c] !== cell.numberFormat) {
        return `${address} reads ${JSON.stringify(values[c])} (${formats[c]}) where ${JSON.stringify(cell.value)} (${cell.numberFormat}) was written`
      }
    }
  }
  return null
}

/**
 * What a read of the written copy shows that differs from what was meant, or null. Every part
 * not edited must be the very bytes it was; every edited one must inflate to exactly the bytes
 * made; both tables must span their new ranges; and each row written must read cell by cell as
 * meant. Nothing else is parsed: the ChangeLog's old rows are bytes copied, not read again.
 */
export function writtenDifference(opened: OpenedXlsx, original: Buffer, written: Buffer, changed: ReadonlyMap<string, PartChange>, boxes: ReadonlyMap<TableName, Box>): string | null {
  const before = zipParts(original)
  const after = zipParts(written)
  if (!before.ok || !after.ok) return 'the new copy is not a zip'
  const old = new Map(before.value.map((part) => [part.name, part]))
  for (const part of after.value) {
    if (changed.has(part.name.replace(/^\//, ''))) continue
    const was = old.get(part.name)
    const data = partData(written, part)
    if (!was || part.crc !== was.crc || data === null || !data.equals(partData(original, was) ?? Buffer.alloc(0))) return `part ${part.name} is not the part it was`
  }
  let again: OpenedXlsx
  try {
    // Styles and shared strings are the very bytes they were (checked above): what was read of them holds.
    const parts = xlsxParts(written)
    again = { ...opened, parts, book: readBook(parts, opened.styles) }
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  const checked = new Set<string>()
  for (const [table, box] of boxes) {
    const place = placeTable(again, table)
    if (place === null) return `the ${table} table is gone`
    if (boxRef(place.box) !== boxRef(box)) return `the ${table} table spans ${boxRef(place.box)} where ${boxRef(box)} was meant`
    const change = changed.get(place.sheet.part)
    if (!change) continue
    if (!place.xml.bytes.equals(change.bytes)) return `part ${place.sheet.part} does not read back as written`
    checked.add(place.sheet.part)
    const differs = rowDifference(again, place, change)
    if (differs !== null) return differs
  }
  for (const [part, change] of changed) {
    if (!checked.has(part) && !again.parts.xml(part)?.bytes.equals(change.bytes)) return `part ${part} does not read back as written`
  }
  return null
}


/** The edited zip and its read-back: `boxes` are the ranges the written tables must span. */
export function patchedWrite(opened: OpenedXlsx, original: Buffer, changed: ReadonlyMap<string, PartChange>, boxes: ReadonlyMap<TableName, Box>): PatchedWrite {
  const bytes = rezip(original, new Map([...changed].map(([part, change]) => [part, change.bytes])))
  return { bytes, differences: (written) => writtenDifference(opened, original, written, changed, boxes) }
}
