import type ExcelJS from 'exceljs'
import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from '../contract.ts'
import type { CellValue, RawTable } from '../raw.ts'
import type { AppendRows, AssignKey, AssignKeyError, Audit, CellTextProblem, CreatedTable, CreateTables, CreateTablesError, StoreError, TablesCreated, UpdateRow, WorkbookStore, WriteError, WriteReceipt } from '../store.ts'
import { checkColumns, keyText, locateKey, planAppend, planAssignKey, planUpdate, sheetRow, type AppendPlan, type AssignKeyPlan, type ChangeLogSnapshot, type UpdatePlan } from '../write-plan.ts'
import { readRawTable } from './raw-read.ts'
import { readWorkbookTables } from './xml-read.ts'
import { cellValueProblem } from '../cell-text.ts'
import { addTableRows, findTable, updateTableRow, type TableInfo } from './tables.ts'
import { bodyRows, creationLogRow, creationOrder, freeSheetName, newTableAddress, newTablesRefused } from '../new-tables.ts'
import { addTableSheet } from './template.ts'
import { typeLikeExcel } from './type-like-excel.ts'
import { boxAddress } from '../a1.ts'
import { fileError, loadWorkbook, readZipFile, saveBytesAtomically, saveWorkbookAtomically, SaveNotVerified, unzippedLimit, type LoadOptions } from './workbook-file.ts'
import { openPatcher, type TableEdit } from './patch/table-write.ts'
import { Unmodeled } from './xlsx/unmodeled.ts'
import { TableTooLarge } from './xlsx/read-tables.ts'
import { checkDeclaredSize, checkUnzippedSize } from './zip-size.ts'
import { WorkbookBusy, type LockOptions } from './file-lock.ts'
import { queueWrite } from './write-queue.ts'

/** The WorkbookStore over an .xlsx file on disk; the write rules come from write-plan.ts, shared with Graph. */

export type FileStoreOptions = {
  now?: () => Date
  /** The most a workbook may take once unzipped (workbook-file.ts; 200 MB by default). */
  maxUnzippedBytes?: number
  /** How writes wait for another program's lock (file-lock.ts); tests pass a hook instead of waiting. */
  lock?: LockOptions
  /**
   * False makes every write through exceljs, the reference the in-place edit is tested against
   * (patch/table-write.ts); true, the default, edits the file's parts where it can.
   */
  editInPlace?: boolean
  /** See LoadOptions.onSave. */
  onSave?: LoadOptions['onSave']
}

type Loaded = { wb: ExcelJS.Workbook; target: RawTable; log: RawTable }

function missingTable(table: TableName): WriteError {
  return { kind: 'missingTable', table }
}

function changeLogSnapshot(log: RawTable): ChangeLogSnapshot {
  const index = findColumn(log.headers, 'ChangeId')
  return { headers: log.headers, changeIds: index < 0 ? null : log.rows.map((row) => keyText(row[index])) }
}

async function loadForWrite(path: string, table: TableName, limits: LoadOptions): Promise<Result<Loaded, WriteError>> {
  const loaded = await loadWorkbook(path, limits)
  if (!loaded.ok) return loaded
  const wb = loaded.value
  const target = readRawTable(wb, table)
  if (!target) return err(missingTable(table))
  const log = readRawTable(wb, 'ChangeLog')
  if (!log) return err(missingTable('ChangeLog'))
  return ok({ wb, target, log })
}

/** A failure inside our own table edits means the sheet blocks the write (e.g. cells below a table): nothing is saved. */
function editError(detail: string): WriteError {
  return { kind: 'unexpected', reason: 'tableEdit', detail }
}

async function save(wb: ExcelJS.Workbook, path: string, limits: LoadOptions): Promise<Result<void, StoreError>> {
  try {
    await saveWorkbookAtomically(wb, path, limits)
    return ok(undefined)
  } catch (error) {
    return err(fileError(error, path))
  }
}

async function appendLogAndSave(wb: ExcelJS.Workbook, path: string, rows: CellValue[][], applied: boolean, limits: LoadOptions): Promise<Result<WriteReceipt, WriteError>> {
  if (rows.length > 0) {
    const logged = addTableRows(wb, 'ChangeLog', rows)
    if (!logged.ok) return err(editError(logged.error))
  }
  const saved = await save(wb, path, limits)
  if (!saved.ok) return saved
  return ok({ applied, changeLogRows: rows.length })
}

/** A table already in the workbook, described as `createTables` describes one it made. */
function whereItIs(table: TableName, found: TableInfo): CreatedTable {
  const box = { top: found.top, left: found.left, bottom: found.top + bodyRows(found.rowCount), right: found.left + found.columns.length - 1 }
  return { table, sheet: found.sheet, address: boxAddress(found.sheet, box), rows: found.rowCount }
}

/** Another program kept the file's lock past the wait: the same answer Graph gives for a locked workbook. */
async function busyAsLocked<T, E>(write: Promise<Result<T, E>>): Promise<Result<T, E | WriteError>> {
  try {
    return await write
  } catch (error) {
    if (error instanceof WorkbookBusy) return err({ kind: 'locked', path: error.path, writing: true })
    throw error
  }
}

type CellPlace = { table: string; column: string; key: string | null; row?: number; audit?: string }

/** Text a workbook cannot hold (cell-text.ts), with where it was headed. */
function textRefused(place: CellPlace, problem: CellTextProblem): WriteError {
  return { kind: 'badCell', ...place, ...problem }
}

/** The audit goes into ChangeLog cells, so it must be storable text too. */
function auditRefused(audit: Audit): WriteError | null {
  for (const [field, value] of [['By', audit.by], ['Source', audit.source], ['ChangeId', audit.changeId], ['At', audit.at]] as const) {
    const problem = cellValueProblem(value)
    if (problem !== null) return textRefused({ table: 'ChangeLog', column: field, key: null, audit: field }, problem)
  }
  return null
}

/**
 * Text the workbook cannot hold is refused before the file is locked or loaded, so a refused
 * write cannot change a byte of it; tables.ts checks again for every other writer.
 */
function updateRefused(command: UpdateRow): WriteError | null {
  const cells = [...command.changes.map((c) => [c.column, c.value] as const), ...Object.entries(command.stamps ?? {})]
  for (const [column, value] of cells) {
    const problem = cellValueProblem(value)
    if (problem !== null) return textRefused({ table: command.table, column, key: command.key }, problem)
  }
  return auditRefused(command.audit)
}

function assignRefused(command: AssignKey): WriteError | null {
  const problem = cellValueProblem(command.key)
  // The row is named by the key being written, as tables.ts names a row.
  if (problem !== null) return textRefused({ table: command.table, column: CONTRACT[command.table].key ?? '', key: command.key }, problem)
  return auditRefused(command.audit)
}

function appendRefused(command: AppendRows): WriteError | null {
  const keyColumn = CONTRACT[command.table].key
  for (const [i, row] of command.rows.entries()) {
    for (const [column, value] of Object.entries(row)) {
      const problem = cellValueProblem(value)
      if (problem === null) continue
      const key = keyColumn === null ? undefined : Object.entries(row).find(([c]) => findColumn([c], keyColumn) === 0)?.[1]
      const place = key === undefined || key === '' || key === null ? { key: null, row: i + 1 } : { key: String(key) }
      return textRefused({ table: command.table, column, ...place }, problem)
    }
  }
  return auditRefused(command.audit)
}

/**
 * The write made by editing the file's parts (patch/table-write.ts): only the target table is
 * read and the ChangeLog is appended, never parsed. Null when the workbook holds something that
 * edit does not model; the caller then makes the write through exceljs, which gives every answer
 * (a damaged file, a missing table) in its own words.
 */
async function writeByPatch<P extends UpdatePlan | AppendPlan | AssignKeyPlan, E extends AssignKeyError>(
  path: string,
  table: TableName,
  changeId: string,
  plan: (target: RawTable, log: ChangeLogSnapshot) => Result<P, E>,
  edit: (plan: Extract<P, { kind: 'write' }>) => TableEdit,
  limits: LoadOptions,
): Promise<Result<WriteReceipt, E | WriteError> | null> {
  const file = await readZipFile(path, limits)
  if (!file.ok || !checkDeclaredSize(file.value, unzippedLimit(limits)).ok) return null
  const patcher = unlessUnmodeled(() => openPatcher(file.value, table, changeId))
  if (patcher === null || !(await checkUnzippedSize(file.value, unzippedLimit(limits), patcher.inflated)).ok) return null
  const planned = plan(patcher.target, patcher.log)
  if (!planned.ok) return planned
  const value = planned.value
  if (value.kind === 'alreadyApplied') return ok({ applied: false, changeLogRows: 0 })
  const applied = value.kind === 'write'
  const written = unlessUnmodeled(() => patcher.write(applied ? edit(value as Extract<P, { kind: 'write' }>) : { kind: 'none' }, value.changeLogRows))
  if (written === null) return null
  try {
    await saveBytesAtomically(written.zip(), path, written.differences, limits)
  } catch (error) {
    // An edit that does not read back as meant never replaced the file: the write goes through exceljs instead.
    if (error instanceof SaveNotVerified) return null
    return err(fileError(error, path))
  }
  return ok({ applied, changeLogRows: value.changeLogRows.length })
}

function unlessUnmodeled<T>(run: () => T): T | null {
  try {
    return run()
  } catch (error) {
    if (error instanceof Unmodeled || error instanceof TableTooLarge) return null
    throw error
  }
}

export function openFileStore(path: string, options: FileStoreOptions = {}): WorkbookStore {
  const now = options.now ?? (() => new Date())
  const limits: LoadOptions = { ...(options.maxUnzippedBytes === undefined ? {} : { maxUnzippedBytes: options.maxUnzippedBytes }), ...(options.onSave ? { onSave: options.onSave } : {}) }
  // The caller stamps each action; a blank stamp would leave the ChangeLog without a time.
  const stamped = (audit: Audit): Audit => (audit.at === '' ? { ...audit, at: now().toISOString() } : audit)

  /**
   * Both writes: load, plan with the shared rules, move the planned cells, append the log, save
   * once. `place` puts the table's own cells; it is skipped when only the log is missing.
   */
  async function write<P extends UpdatePlan | AppendPlan | AssignKeyPlan, E extends AssignKeyError>(
    table: TableName,
    changeId: string,
    plan: (target: RawTable, log: ChangeLogSnapshot) => Result<P, E>,
    place: (wb: ExcelJS.Workbook, plan: Extract<P, { kind: 'write' }>) => Result<unknown, string>,
    edit: (plan: Extract<P, { kind: 'write' }>) => TableEdit,
  ): Promise<Result<WriteReceipt, E | WriteError>> {
    const patched = options.editInPlace === false ? null : await writeByPatch(path, table, changeId, plan, edit, limits)
    if (patched !== null) return patched
    const loaded = await loadForWrite(path, table, limits)
    if (!loaded.ok) return loaded
    const { wb, target, log } = loaded.value
    const planned = plan(target, changeLogSnapshot(log))
    if (!planned.ok) return planned
    const value = planned.value
    switch (value.kind) {
      case 'alreadyApplied':
        return ok({ applied: false, changeLogRows: 0 })
      case 'logOnly':
        return appendLogAndSave(wb, path, value.changeLogRows, false, limits)
      case 'write': {
        const placed = place(wb, value as Extract<P, { kind: 'write' }>)
        if (!placed.ok) return err(editError(placed.error))
        return appendLogAndSave(wb, path, value.changeLogRows, true, limits)
      }
      default:
        return exhaustiveSwitchError(value, 'write plan')
    }
  }

  const updateRow = (command: UpdateRow) =>
    write(
      command.table,
      command.audit.changeId,
      (target, log) => planUpdate({ ...command, audit: stamped(command.audit) }, target, log),
      (wb, plan) => updateTableRow(wb, command.table, plan.rowIndex, plan.values),
      (plan) => ({ kind: 'update', index: plan.rowIndex, values: plan.values }),
    )

  const appendRows = (command: AppendRows) =>
    write(
      command.table,
      command.audit.changeId,
      (target, log) => planAppend({ ...command, audit: stamped(command.audit) }, target, log),
      (wb, plan) => addTableRows(wb, command.table, plan.rows),
      (plan) => ({ kind: 'append', rows: plan.rows }),
    )

  const assignKey = (command: AssignKey) =>
    write(
      command.table,
      command.audit.changeId,
      (target, log) => {
        const keyIndex = findColumn(target.headers, CONTRACT[command.table].key ?? '')
        const slot = {
          headers: target.headers,
          keys: target.rows.map((row) => (keyIndex < 0 ? '' : keyText(row[keyIndex]))),
          row: target.rows[command.index],
          sheetRowOf: (i: number) => sheetRow(target, i),
        }
        return planAssignKey({ ...command, audit: stamped(command.audit) }, slot, log)
      },
      // One cell: the row's values are null everywhere but the key.
      (wb, plan) => updateTableRow(wb, command.table, command.index, plan.values),
      (plan) => ({ kind: 'update', index: command.index, values: plan.values }),
    )

  /**
   * Load, check, add a sheet and a table per missing table, log, save once: all of it or none.
   * A retry of an action that landed (its tables there, its ChangeId logged) changes nothing.
   */
  async function createTables(command: CreateTables): Promise<Result<TablesCreated, CreateTablesError>> {
    const loaded = await loadWorkbook(path, limits)
    if (!loaded.ok) return loaded
    const wb = loaded.value
    const audit = stamped(command.audit)
    const existing = command.tables.flatMap((t) => {
      const found = findTable(wb, t.name)
      return found ? [{ table: t.name, found }] : []
    })
    const log = readRawTable(wb, 'ChangeLog')
    const creatingLog = command.tables.some((t) => t.name === 'ChangeLog')
    if (log && !creatingLog) {
      const columns = checkColumns('ChangeLog', log.headers, [])
      if (!columns.ok) return columns
    }
    if (existing.length > 0) {
      const landed = existing.length === command.tables.length && log !== null && changeLogSnapshot(log).changeIds?.includes(audit.changeId) === true
      if (landed) return ok({ applied: false, changeLogRows: 0, tables: existing.map(({ table, found }) => whereItIs(table, found)) })
      const first = existing[0]
      if (first) return err({ kind: 'tableExists', table: first.table, sheet: first.found.sheet })
    }
    if (!log && !creatingLog) return err(missingTable('ChangeLog'))

    const order = creationOrder(command.tables)
    const taken = wb.worksheets.map((ws) => ws.name)
    const logHeaders = log?.headers ?? order.find((t) => t.name === 'ChangeLog')?.headers ?? []
    const created: CreatedTable[] = order.map((t) => {
      const sheet = freeSheetName(t.name, taken)
      taken.push(sheet)
      const rows = t.rows.length + (t.name === 'ChangeLog' ? order.length : 0)
      return { table: t.name, sheet, address: newTableAddress(sheet, t.headers.length, rows), rows }
    })
    const logRows = created.map((c) => creationLogRow(logHeaders, audit, c))
    // Typed as Excel types input, like every other write of this store (appendRows, updateRow).
    const typed = (_kind: unknown, value: CellValue) => typeLikeExcel(value)
    for (const [i, t] of order.entries()) {
      const place = created[i]
      if (!place) continue
      const rows = t.name === 'ChangeLog' ? [...t.rows, ...logRows] : t.rows
      try {
        addTableSheet(wb, t.name, { headers: [...t.headers], rows: rows.map((r) => [...r]) }, place.sheet, typed)
      } catch (e) {
        return err(editError(e instanceof Error ? e.message : String(e)))
      }
    }
    if (log) {
      const logged = addTableRows(wb, 'ChangeLog', logRows)
      if (!logged.ok) return err(editError(logged.error))
    }
    const saved = await save(wb, path, limits)
    if (!saved.ok) return saved
    return ok({ applied: true, changeLogRows: logRows.length, tables: created })
  }

  return {
    async readRow(table, key) {
      const read = await readWorkbookTables(path, [table], limits)
      if (!read.ok) return read
      const target = read.value.tables[table]
      if (!target) return err(missingTable(table))
      const keyIndex = findColumn(target.headers, CONTRACT[table].key ?? '')
      if (keyIndex < 0) return err({ kind: 'badColumns', table, columns: [CONTRACT[table].key ?? ''] })
      const found = locateKey(table, target.rows.map((row) => keyText(row[keyIndex])), key, (i) => sheetRow(target, i))
      if (!found.ok) return found
      const formats = target.numberFormats?.[found.value]
      return ok({ headers: target.headers, values: target.rows[found.value] ?? [], ...(formats ? { numberFormats: formats } : {}) })
    },
    read: (tables) => readWorkbookTables(path, tables, limits),
    async updateRow(command) {
      const refused = updateRefused(command)
      return refused ? err(refused) : busyAsLocked(queueWrite(path, () => updateRow(command), options.lock))
    },
    async appendRows(command) {
      const refused = appendRefused(command)
      return refused ? err(refused) : busyAsLocked(queueWrite(path, () => appendRows(command), options.lock))
    },
    async assignKey(command) {
      const refused = assignRefused(command)
      return refused ? err(refused) : busyAsLocked(queueWrite(path, () => assignKey(command), options.lock))
    },
    async createTables(command) {
      const refused = newTablesRefused(command)
      return refused ? err(refused) : busyAsLocked(queueWrite(path, () => createTables(command), options.lock))
    },
    // Nothing stays open between calls: every call loads the file afresh.
    async close() {},
  }
}
