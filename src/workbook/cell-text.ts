import type { CellValue } from './raw.ts'
import type { CellTextProblem } from './store.ts'

/**
 * Text a workbook can hold. An .xlsx is XML 1.0, which has no way to write U+FFFE, U+FFFF,
 * an unpaired surrogate or a C0 control other than tab, LF and CR: exceljs writes the first
 * three anyway (the next load then fails, bricking the file) and silently drops the controls
 * (and DEL). So such text is refused before any cell changes, with the place it was meant for,
 * instead of being saved damaged or quietly altered.
 */

/** Excel's limit on the characters in one cell (Excel specifications and limits: 32,767). */
export const MAX_CELL_CHARS = 32_767

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`

/** Why `text` cannot be stored in a cell as given, or null when it can. */
export function cellTextProblem(text: string): CellTextProblem | null {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i)
    const at = i + 1
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return { problem: 'invalidCharacter', character: 'control', codePoint: code, at }
    if (code === 0x7f) return { problem: 'invalidCharacter', character: 'delete', codePoint: code, at }
    if (code === 0xfffe || code === 0xffff) return { problem: 'invalidCharacter', character: 'nonCharacter', codePoint: code, at }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1
        continue
      }
      return { problem: 'invalidCharacter', character: 'surrogate', codePoint: code, at }
    }
    if (code >= 0xdc00 && code <= 0xdfff) return { problem: 'invalidCharacter', character: 'surrogate', codePoint: code, at }
  }
  // The leading apostrophe is Excel's text prefix, not part of the cell (type-like-excel.ts).
  const stored = text.startsWith("'") ? text.length - 1 : text.length
  if (stored > MAX_CELL_CHARS) return { problem: 'tooLong', length: stored, limit: MAX_CELL_CHARS }
  return null
}

/** The problem of a value about to be written; only strings can have one. */
export function cellValueProblem(value: CellValue | null | undefined): CellTextProblem | null {
  return typeof value === 'string' ? cellTextProblem(value) : null
}

/**
 * What is wrong with text a cell cannot hold, after "the text …": one wording for the product's
 * messages (src/messages/errors.ts) and the local server's error bodies (file/tables.ts).
 */
export function describeCellTextProblem(p: CellTextProblem): string {
  if (p.problem === 'tooLong') return `is ${p.length.toLocaleString('en-US')} characters long, more than the ${p.limit.toLocaleString('en-US')} an Excel cell can hold`
  const at = `at character ${p.at}`
  switch (p.character) {
    case 'control':
      return `contains the control character ${hex(p.codePoint)} ${at}, which an Excel workbook cannot store (only tab, line feed and carriage return can be)`
    case 'delete':
      return `contains the control character ${hex(p.codePoint)} ${at}, which this program cannot store in a workbook`
    case 'nonCharacter':
      return `contains ${hex(p.codePoint)} ${at}, which is not a character and cannot be stored in an .xlsx file`
    case 'surrogate':
      return `contains an unpaired surrogate ${hex(p.codePoint)} ${at}, which cannot be stored in an .xlsx file`
  }
}

/** A short form of a key for messages: keys are ids, but a hand-typed one could be anything. */
export function quoteKey(key: CellValue | null | undefined): string {
  const text = key === null || key === undefined ? '' : String(key)
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text
  return JSON.stringify(shown)
}
