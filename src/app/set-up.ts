import { parseIsoDate } from '../domain/dates.ts'
import { DEFAULT_SETTINGS } from '../domain/model.ts'
import { err, ok, type Result } from '../domain/result.ts'
import { CONTRACT, findColumn, TABLE_NAMES, type TableName } from '../workbook/contract.ts'
import { encodeDate, encodeText } from '../workbook/encode.ts'
import { headersOf } from '../workbook/layout.ts'
import type { CellValue, RawWorkbook } from '../workbook/raw.ts'
import type { CreateTablesError, NewTable, StoreError, TablesCreated, WorkbookStore } from '../workbook/store.ts'
import type { Refusal } from './refusals.ts'
import { audit, checkedBy, type ActionMeta } from './update-step.ts'

/**
 * The task pane's Set up (issue 11): when the open workbook lacks contract tables, make them,
 * empty or with the sample district's rows, each on a new sheet of its own; tables and sheets
 * already there are never touched (the store's `createTables` guarantees it).
 *
 * The sample's rows come from the caller: `src/app` may not import `src/sample` (DESIGN.md §2,
 * test/architecture/rules.ts), and loading the sample only when asked keeps it out of the pane's
 * first bundle. Pass `sampleDistrict(asOf).tables` (src/sample/district.ts): any table → rows
 * of that shape will do.
 */

/** Every contract table, ChangeLog and Settings included: what Set up reads, and what it can make. */
export const SET_UP_TABLES: readonly TableName[] = TABLE_NAMES

/** A table's content by column position, dates as ISO text (the shape of `sampleDistrict(asOf).tables`). */
export type TableRows = { headers: readonly string[]; rows: readonly (readonly CellValue[])[] }

export type SetUpContent = { withSample: false } | { withSample: true; sample: Readonly<Record<TableName, TableRows>> }

export type SetUpDone = { kind: 'nothingToDo' } | ({ kind: 'created' } & TablesCreated)

export type SetUpError = CreateTablesError | StoreError | Refusal

/**
 * The contract tables `raw` lacks, in the contract's order. `raw` must come from a read of every
 * contract table (SET_UP_TABLES): a table that was not asked for counts as missing here.
 */
export function missingTables(raw: RawWorkbook): TableName[] {
  return TABLE_NAMES.filter((name) => raw.tables[name] === undefined)
}

/**
 * Reads every contract table for Set up. A workbook with none of them reads as `notFound` with
 * the tables listed (a wrong link is likelier than such a workbook, store.ts): here that is the
 * workbook to set up, so it comes back as a workbook missing every table. If the link really is
 * wrong, `setUpWorkbook` then fails with notFound before writing anything.
 */
export async function readForSetUp(store: WorkbookStore): Promise<Result<RawWorkbook, StoreError>> {
  const read = await store.read(SET_UP_TABLES)
  if (!read.ok && read.error.kind === 'notFound' && read.error.tables !== undefined) return ok({ tables: {}, missing: [...SET_UP_TABLES] })
  return read
}

/** The Settings keys and their defaults (WORKBOOK.md); DistrictName and PlanYear left for the district to fill in. */
function defaultSettings(): TableRows {
  const rows: [string, CellValue][] = [
    ['DistrictName', DEFAULT_SETTINGS.districtName],
    ['PlanYear', DEFAULT_SETTINGS.planYear],
    ['OnTrackAt', DEFAULT_SETTINGS.onTrackAt],
    ['AtRiskAt', DEFAULT_SETTINGS.atRiskAt],
    ['StaleAfterDays', DEFAULT_SETTINGS.staleAfterDays],
    ['DueSoonDays', DEFAULT_SETTINGS.dueSoonDays],
  ]
  const headers = headersOf('Settings')
  return { headers, rows: rows.map(([key, value]) => headers.map((h) => (h === 'Key' ? key : h === 'Value' ? value : ''))) }
}

/** A cell as the store writes it (typed like Excel input): ISO text in a date column becomes a date, other text stays text. */
function cellToWrite(table: TableName, header: string, value: CellValue): CellValue {
  if (typeof value !== 'string') return value
  const column = CONTRACT[table].columns.find((c) => findColumn([header], c.name) === 0)
  const iso = column?.kind === 'date' ? parseIsoDate(value.trim()) : null
  return iso ? encodeDate(iso) : encodeText(value)
}

function newTable(name: TableName, content: SetUpContent): NewTable {
  const given = content.withSample ? content.sample[name] : name === 'Settings' ? defaultSettings() : undefined
  const source: TableRows = given ?? { headers: headersOf(name), rows: [] }
  return { name, headers: [...source.headers], rows: source.rows.map((row) => row.map((value, i) => cellToWrite(name, source.headers[i] ?? '', value))) }
}

/**
 * Creates the contract tables `raw` lacks (`missingTables`), empty (the header row; Settings with
 * its default keys) or with the sample's rows for those tables, and logs one ChangeLog row per
 * table. A workbook with every table gets `nothingToDo`. `raw` is the snapshot the pane showed:
 * a table made since then by someone else is refused (`tableExists`) and nothing is made.
 *
 * With the sample, only the missing tables get its rows: beside a district's own tables they
 * refer to the sample's WIGs, people and strategies, which Health then reports.
 */
export async function setUpWorkbook(store: WorkbookStore, raw: RawWorkbook, content: SetUpContent, meta: ActionMeta): Promise<Result<SetUpDone, SetUpError>> {
  const missing = missingTables(raw)
  if (missing.length === 0) return ok({ kind: 'nothingToDo' })
  // No People table to check against yet, perhaps: the ChangeLog still needs a real email.
  const by = checkedBy({ people: [] }, meta.by)
  if (by) return err(by)
  const created = await store.createTables({ tables: missing.map((name) => newTable(name, content)), audit: audit(meta) })
  return created.ok ? ok({ kind: 'created', ...created.value }) : err(created.error)
}
