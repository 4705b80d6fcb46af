import type { CellValue } from './raw.ts'

/**
 * Values written through Graph are parsed as if typed into Excel (GRAPH.md §3): `=1+1` becomes a
 * formula and `2025-06-30` a date. Free text is therefore written with a leading apostrophe,
 * which Excel keeps as text and does not show.
 */
export function asTypedText(text: string): string {
  return text === '' ? '' : `'${text}`
}

/** What a typed value reads back as, for comparing a written value with a cell (ignores typing coercion of numbers/dates). */
export function typedTextValue(value: CellValue): CellValue {
  return typeof value === 'string' && value.startsWith("'") ? value.slice(1) : value
}
