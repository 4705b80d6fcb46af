import type ExcelJS from 'exceljs'
import { err, exhaustiveSwitchError, ok, type Result } from '../../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from '../contract.ts'
import type { CellValue, RawTable } from '../raw.ts'
import type { AppendRows, Audit, StoreError, UpdateRow, WorkbookStore, WriteError, WriteReceipt } from '../store.ts'
import { keyText, locateKey, planAppend, planUpdate, sheetRow, type AppendPlan, type ChangeLogSnapshot, type UpdatePlan } from '../write-plan.ts'
import { readRawTable, readRawWorkbook } from './raw-read.ts'
import { addTableRows, updateTableRow } from './tables.ts'
import { fileError, loadWorkbook, saveWorkbookAtomically } from './workbook-file.ts'
import { WorkbookBusy } from './file-lock.ts'
import { queueWrite } from './write-queue.ts'

/** The WorkbookStore over an .xlsx file on disk; the write rules come from write-plan.ts, shared with Graph. */

export type FileStoreOptions = { now?: () => Date }

type Loaded = { wb: ExcelJS.Workbook; target: RawTable; log: RawTable }

function missingTable(table: TableName): WriteError {
  return { kind: 'missingTable', table, message: `The workbook has no ${table} table; nothing was written.` }
}

function changeLogSnapshot(log: RawTable): ChangeLogSnapshot {
  const index = findColumn(log.headers, 'ChangeId')
  return { headers: log.headers, changeIds: index < 0 ? null : log.rows.map((row) => keyText(row[index])) }
}

async function loadForWrite(path: string, table: TableName): Promise<Result<Loaded, WriteError>> {
  const loaded = await loadWorkbook(path)
  if (!loaded.ok) return loaded
  const wb = loaded.value
  const target = readRawTable(wb, table)
  if (!target) return err(missingTable(table))
  const log = readRawTable(wb, 'ChangeLog')
  if (!log) return err(missingTable('ChangeLog'))
  return ok({ wb, target, log })
}

/** A failure inside our own table edits means the sheet blocks the write (e.g. cells below a table): nothing is saved. */
function editError(message: string): WriteError {
  return { kind: 'unexpected', message: `${message} Nothing was written.` }
}

async function save(wb: ExcelJS.Workbook, path: string): Promise<Result<void, StoreError>> {
  try {
    await saveWorkbookAtomically(wb, path)
    return ok(undefined)
  } catch (error) {
    return err(fileError(error, path))
  }
}

async function appendLogAndSave(wb: ExcelJS.Workbook, path: string, rows: CellValue[][], applied: boolean): Promise<Result<WriteReceipt, WriteError>> {
  if (rows.length > 0) {
    const logged = addTableRows(wb, 'ChangeLog', rows)
    if (!logged.ok) return err(editError(logged.error))
  }
  const saved = await save(wb, path)
  if (!saved.ok) return saved
  return ok({ applied, changeLogRows: rows.length })
}

/** Another program kept the file's lock past the wait: the same answer Graph gives for a locked workbook. */
async function busyAsLocked(write: Promise<Result<WriteReceipt, WriteError>>): Promise<Result<WriteReceipt, WriteError>> {
  try {
    return await write
  } catch (error) {
    if (error instanceof WorkbookBusy) return err({ kind: 'locked', message: error.message })
    throw error
  }
}

export function openFileStore(path: string, options: FileStoreOptions = {}): WorkbookStore {
  const now = options.now ?? (() => new Date())
  // The caller stamps each action; a blank stamp would leave the ChangeLog without a time.
  const stamped = (audit: Audit): Audit => (audit.at === '' ? { ...audit, at: now().toISOString() } : audit)

  /**
   * Both writes: load, plan with the shared rules, move the planned cells, append the log, save
   * once. `place` puts the table's own cells; it is skipped when only the log is missing.
   */
  async function write<P extends UpdatePlan | AppendPlan>(
    table: TableName,
    plan: (target: RawTable, log: ChangeLogSnapshot) => Result<P, WriteError>,
    place: (wb: ExcelJS.Workbook, plan: Extract<P, { kind: 'write' }>) => Result<unknown, string>,
  ): Promise<Result<WriteReceipt, WriteError>> {
    const loaded = await loadForWrite(path, table)
    if (!loaded.ok) return loaded
    const { wb, target, log } = loaded.value
    const planned = plan(target, changeLogSnapshot(log))
    if (!planned.ok) return planned
    const value = planned.value
    switch (value.kind) {
      case 'alreadyApplied':
        return ok({ applied: false, changeLogRows: 0 })
      case 'logOnly':
        return appendLogAndSave(wb, path, value.changeLogRows, false)
      case 'write': {
        const placed = place(wb, value as Extract<P, { kind: 'write' }>)
        if (!placed.ok) return err(editError(placed.error))
        return appendLogAndSave(wb, path, value.changeLogRows, true)
      }
      default:
        return exhaustiveSwitchError(value, 'write plan')
    }
  }

  const updateRow = (command: UpdateRow) =>
    write(
      command.table,
      (target, log) => planUpdate({ ...command, audit: stamped(command.audit) }, target, log),
      (wb, plan) => updateTableRow(wb, command.table, plan.rowIndex, plan.values),
    )

  const appendRows = (command: AppendRows) =>
    write(
      command.table,
      (target, log) => planAppend({ ...command, audit: stamped(command.audit) }, target, log),
      (wb, plan) => addTableRows(wb, command.table, plan.rows),
    )

  return {
    async readRow(table, key) {
      const loaded = await loadWorkbook(path)
      if (!loaded.ok) return loaded
      const target = readRawTable(loaded.value, table)
      if (!target) return err(missingTable(table))
      const keyIndex = findColumn(target.headers, CONTRACT[table].key ?? '')
      if (keyIndex < 0) return err({ kind: 'badColumns', table, columns: [CONTRACT[table].key ?? ''], message: `The ${table} table has no ${CONTRACT[table].key} column.` })
      const found = locateKey(table, target.rows.map((row) => keyText(row[keyIndex])), key, (i) => sheetRow(target, i))
      if (!found.ok) return found
      const formats = target.numberFormats?.[found.value]
      return ok({ headers: target.headers, values: target.rows[found.value] ?? [], ...(formats ? { numberFormats: formats } : {}) })
    },
    async read(tables) {
      const loaded = await loadWorkbook(path)
      return loaded.ok ? ok(readRawWorkbook(loaded.value, tables)) : loaded
    },
    updateRow: (command) => busyAsLocked(queueWrite(path, () => updateRow(command))),
    appendRows: (command) => busyAsLocked(queueWrite(path, () => appendRows(command))),
    // Nothing stays open between calls: every call loads the file afresh.
    async close() {},
  }
}
