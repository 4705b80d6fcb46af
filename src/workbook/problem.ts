import type { TableName } from './contract.ts'

/** Something wrong in the workbook, with its place, in words a district user understands. */
export type Problem = {
  table: TableName
  /** Sheet row number (1-based, as Excel shows it); without a known origin, as if the header sat on row 1. */
  row: number | null
  column: string | null
  /** Sheet-qualified address like `Steps!E14`, when known. */
  cell: string | null
  /** The row's key (StepId, WigId, …) when it has one. */
  key: string | null
  message: string
  /**
   * A fix the task pane can make safely, when there is one. 'assignKey': the row was typed without
   * its CheckInId/StepId; one can be generated and written into the key cell (`assignMissingKey`).
   */
  fix?: ProblemFix
}

export type ProblemFix = 'assignKey'

/** What a decoder returns: every record it could read, and every problem with its place. */
export type Decoded<T> = { records: T[]; problems: Problem[] }

export function formatProblem(p: Problem): string {
  const place = [p.table, p.cell ?? (p.row !== null ? `row ${p.row}` : null), p.column ? `column ${p.column}` : null, p.key ? `key ${p.key}` : null]
    .filter(Boolean)
    .join(', ')
  return `${place}: ${p.message}`
}
