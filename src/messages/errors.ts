import type { AssignKeyRefused } from '../app/assign-key.ts'
import type { Refusal } from '../app/refusals.ts'
import type { SeenError } from '../app/seen.ts'
import type { IdColumn, IdProblem } from '../domain/ids.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { formatValue, type ValueError } from '../domain/units.ts'
import type { CellValue } from '../workbook/raw.ts'
import type { AssignKeyRefusal, Conflict, CreateTablesRefusal, StoreError, WriteError } from '../workbook/store.ts'
import type { SourceError } from '../workbook/source-error.ts'
import { describeCellTextProblem } from '../workbook/cell-text.ts'
export { describeCellTextProblem }

/**
 * The English of every error the app and the workbook backends return as data: one sentence
 * per kind, so a missing table is said one way on every surface (the CLI, the start page, and
 * later the tab and the task pane). The sentences were reviewed for districts; change them here.
 */

export type DescribedError = StoreError | WriteError | Refusal | SeenError

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`
const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
const theWorkbook = (path: string | undefined) => (path === undefined ? 'The workbook' : `The workbook ${path}`)
const ADMIN = 'Try again; if it keeps happening, tell your administrator.'

/** Why a missing key was not assigned (`assignMissingKey`, `WorkbookStore.assignKey`). */
export type AssignKeyDescribed = AssignKeyRefusal | AssignKeyRefused

/** Why Set up made no table (`setUpWorkbook`, `WorkbookStore.createTables`), besides the errors every write can meet. */
export type SetUpDescribed = CreateTablesRefusal

/** One line of English for an error. */
export function describeError(error: DescribedError | AssignKeyDescribed | SetUpDescribed): string {
  switch (error.kind) {
    case 'tableExists':
      return `The workbook already has a ${error.table} table${error.sheet === undefined ? '' : ` (on the sheet ${error.sheet})`}, so Set up did not make one. Refresh to see which tables are still missing.`
    case 'sheetTaken':
      return `A sheet named ${error.sheet} was added to the workbook at the same moment, so the ${error.table} table was not made there. Try again: it will go on another sheet.`
    case 'rowChanged':
      return describeRowChanged(error)
    case 'keyAlreadySet':
      if (error.race === undefined) return `Row ${error.row} of ${error.table} already has ${error.keyColumn} ${quoteKey(error.key)}, given since you looked; nothing was written. Refresh to see it.`
      return error.race.restored
        ? `Someone gave row ${error.row} of ${error.table} the ${error.keyColumn} ${quoteKey(error.key)} at the same moment; theirs was kept and none was assigned.`
        : `Someone gave row ${error.row} of ${error.table} the ${error.keyColumn} ${quoteKey(error.key)} at the same moment, and putting theirs back did not finish; check that row's ${error.keyColumn} in Excel.`
    case 'keyTaken':
      return `${error.keyColumn} ${quoteKey(error.key)} is already used in ${error.table} (row${error.rows.length === 1 ? '' : 's'} ${error.rows.join(', ')}); nothing was written. Refresh and try again for another.`
    case 'notFixable':
      return error.reason === 'notMissingKey'
        ? `Only a row of ActionSteps or CheckIns without its StepId or CheckInId can be given one here; nothing was written.`
        : `${error.row === null ? `A row of ${error.table}` : `Row ${error.row} of ${error.table}`} is not in what was read; refresh and try again. Nothing was written.`
    case 'unknownRow':
      return `No row of ${error.table} has ${error.keyColumn || 'key'} ${error.key}; nothing was written.`
    case 'missingTable':
      return `The workbook has no ${error.table} table; nothing was written.`
    case 'missingColumn':
      return `The ${error.table} table has no ${error.column} column; nothing was written.`
    case 'unknownWig':
      return `No WIG has WigId ${error.wigId}; nothing was written.`
    case 'unknownMeasure':
      return `No measure has MeasureId ${error.measureId}; nothing was written.`
    case 'measureOfAnotherWig':
      return `Measure ${error.measureId} belongs to WIG ${error.ownerWigId}, not ${error.wigId}; nothing was written.`
    case 'milestoneNeedsMeasure':
      return `${error.wigId} is a milestone WIG: log the check-in on one of its measures with --measure (${error.measureIds.length > 0 ? error.measureIds.join(', ') : 'it has none yet'}); nothing was written.`
    case 'futureDate':
      return `A check-in cannot be dated ${error.date}, after today (${error.today}); nothing was written.`
    case 'unknownPerson':
      return `${error.email} is not in the People table, so it cannot ${error.role === 'by' ? 'make changes (--by)' : 'own a step'}; add them to People first. Nothing was written.`
    case 'percentOutOfRange':
      return `Percent complete must be between 0 and 100; got ${error.value}. Nothing was written.`
    case 'emptyTitle':
      return 'A step needs a title; nothing was written.'
    case 'nothingToChange':
      return 'Say what to change: a status, a percent complete, a due date, an owner or a note.'
    case 'badId':
      return `${describeIdProblem(error)} Nothing was written.`
    case 'conflict':
      return describeConflict(error.table, error.key, error.conflicts, error.race)
    case 'missingKey':
      return error.newRow
        ? `A new ${error.table} row needs its ${error.keyColumn}; nothing was written.`
        : `No row of ${error.table} has ${error.keyColumn || 'key'} ${error.key}; nothing was written.`
    case 'duplicateKey':
      return `${error.keyColumn} ${error.key} appears on ${error.rows.length} rows of ${error.table} (rows ${error.rows.join(', ')}); fix the duplicate in Excel first. Nothing was written.`
    case 'badColumns':
      if (error.keyless) return `Rows of ${error.table} have no key and cannot be changed.`
      return `The ${error.table} table has no ${error.columns.join(', ')} column${error.columns.length > 1 ? 's' : ''}; nothing was written.`
    case 'badCell':
      return `Cannot save ${cellPlace(error)}: the text ${describeCellTextProblem(error)}. Nothing was written.`
    case 'notFound':
      if (error.path !== undefined) return `The workbook ${error.path} does not exist.`
      if (error.tables !== undefined) return `The workbook was not found, or it has none of the plan's tables (${error.tables.join(', ')}). Check the link, or ask its owner to share it with you.`
      return error.table
        ? `The workbook or its ${error.table} table was not found. Check the link or ask its owner to share it.`
        : 'The workbook was not found. Check the link or ask its owner to share it.'
    case 'forbidden':
      if (error.readOnly === 'file') return `${theWorkbook(error.path)} is read-only, so nothing was written. Make the file writable to save changes.`
      if (error.readOnly === 'disk') return `${theWorkbook(error.path)} is on a read-only disk; nothing was written.`
      if (error.path !== undefined) return `No permission to use the workbook ${error.path}.`
      return "You don't have permission to open this workbook. Ask its owner to share it with you (edit access is needed to save changes)."
    case 'unauthorized':
      return 'Your Microsoft 365 sign-in is missing or has expired. Sign in again and retry.'
    case 'locked':
      if (error.writing) return `${error.path ?? 'The workbook'} is being written by another program; try again in a moment.`
      if (error.path !== undefined) return `The workbook ${error.path} is in use by another program.`
      return 'The workbook is locked for editing by someone else (or open in the desktop app with changes not yet saved). Try again in a minute.'
    case 'throttled':
      return error.retryAfterSeconds === null
        ? 'Microsoft 365 is asking us to slow down; try again in a minute.'
        : `Microsoft 365 is asking us to slow down; try again in ${error.retryAfterSeconds} seconds.`
    case 'unavailable':
      return 'Microsoft 365 is temporarily unavailable. Nothing more was sent; try again in a few minutes.'
    case 'timeout':
      return 'Microsoft 365 took too long to answer. Try again in a minute.'
    case 'network':
      return 'Could not reach Microsoft 365: check your connection.'
    case 'sessionExpired':
      return 'The editing session with the workbook ended. Try again.'
    case 'unreadable':
      return describeUnreadable(error)
    case 'unexpected':
      return describeUnexpected(error)
    default:
      return exhaustiveSwitchError(error, 'error')
  }
}

function describeRowChanged(e: Extract<AssignKeyRefusal, { kind: 'rowChanged' }>): string {
  const place = `Row ${e.row} of ${e.table}`
  if (e.gone) return `${place} is no longer in the table (rows were deleted or moved since you looked); nothing was written. Refresh and try again.`
  const cells = e.columns.length > 0 ? ` (${e.columns.join(', ')} changed)` : ''
  if (e.race === undefined) return `${place} is not the row you saw${cells}: rows may have been sorted or inserted, or it was edited. Nothing was written; refresh and try again.`
  return e.race.restored
    ? `${place} changed at the same moment as the fix${cells}; the key was taken back out and nothing was assigned. Refresh and try again.`
    : `${place} changed at the same moment as the fix${cells}, and taking the key back out did not finish; check that row's key cell in Excel.`
}

const ID_NAMES: Readonly<Record<IdColumn, string>> = {
  WigId: 'a WIG id',
  MeasureId: 'a measure id',
  CheckInId: 'a check-in id',
  StepId: 'a step id',
  StrategyId: 'a strategy id',
  Email: 'an email address',
}

/** Why text is not an id or an email (src/domain/ids.ts), as one sentence. */
export function describeIdProblem(p: IdProblem): string {
  const what = ID_NAMES[p.column]
  switch (p.problem) {
    case 'blank':
      return `Give ${what}; it was blank.`
    case 'tooLong':
      return `${quoteKey(p.text)} is not ${what}: it is ${p.length.toLocaleString('en-US')} characters long, more than the ${p.limit} allowed.`
    case 'controlCharacter':
      return `${quoteKey(p.text)} is not ${what}: it contains the control character ${hex(p.codePoint)} at character ${p.at}.`
    case 'notAnEmail':
      return `${quoteKey(p.text)} is not an email address.`
    default:
      return exhaustiveSwitchError(p, 'id problem')
  }
}

function cellText(value: CellValue | undefined): string {
  if (value === undefined) return ''
  return typeof value === 'string' && value.startsWith("'") ? value.slice(1) : String(value)
}

function describeConflict(table: string, key: string, conflicts: readonly Conflict[], race: { restored: boolean } | undefined): string {
  const list = conflicts.map((c) => `${c.column} was "${cellText(c.seen)}" and is now "${cellText(c.now)}"`).join('; ')
  if (race === undefined) return `Someone changed ${table} ${key} since you read it: ${list}. Nothing was written.`
  return race.restored
    ? `Someone changed ${table} ${key} at the same moment: ${list}. Their change was kept and yours was not saved.`
    : `Someone changed ${table} ${key} at the same moment: ${list}. Putting their change back did not finish; check the row in Excel.`
}

/** A short form of a key: keys are ids, but a hand-typed one could be anything. */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)
}

function cellPlace(e: Extract<WriteError, { kind: 'badCell' }>): string {
  if (e.audit !== undefined) return `the change's ${e.audit} for the ChangeLog`
  const row = e.key === null ? `new row ${e.row ?? 1} of ${e.table}` : `${e.table} ${quoteKey(e.key)}`
  return `the ${e.column} of ${row}${e.cell ? ` (${e.cell})` : ''}`
}

function describeUnreadable(e: Extract<StoreError, { kind: 'unreadable' }>): string {
  const path = e.path ?? 'The workbook'
  switch (e.reason) {
    case 'folder':
      return `${path} is a folder, not an .xlsx workbook.`
    case 'notZip':
      return `${path} is not an .xlsx workbook (an .xlsx file is a zip archive; this one is not). Save it from Excel as "Excel Workbook (.xlsx)".`
    case 'tooLarge': {
      const size = e.size
      if (size === undefined) return `${path} is too large to open.`
      if (size.measured === 'tableCells')
        return `${path} is too large to open: its table ${size.table} spans ${size.address}, ${size.cells.toLocaleString('en-US')} cells, more than the ${size.limit.toLocaleString('en-US')} this program reads. In Excel, resize the table to the rows and columns it uses (Table Design → Resize Table).`
      if (size.measured === 'partInflates') return `${path} is too large to open: its part ${size.part} inflates to more than the ${size.declared.toLocaleString('en-US')} bytes it declares (a zip bomb?).`
      if (size.measured === 'onDisk') return `${path} is too large to open: it is ${megabytes(size.bytes)} on disk, more than the ${megabytes(size.limit)} this program opens.`
      return `${path} is too large to open: it would take ${megabytes(size.bytes)} once unzipped, more than the ${megabytes(size.limit)} this program opens.`
    }
    case 'damaged': {
      const why = e.damage
        ? e.damage.problem === 'twoSizes'
          ? `its part ${e.damage.part} is stored with two different sizes`
          : `its part ${e.damage.part} points past the end of the file`
        : (e.detail ?? 'unknown damage')
      return `${path} could not be read as an .xlsx workbook; it may be damaged (${why}).`
    }
    case 'noWorksheets':
      return `${path} has no worksheets; it is a zip archive but not an Excel workbook.`
    case 'unsupported':
    case undefined:
      return "Excel for the web can't open this workbook (it uses unsupported features or is too large). Open it in Excel to check."
    default:
      return exhaustiveSwitchError(e.reason, 'unreadable reason')
  }
}

function describeUnexpected(e: Extract<StoreError, { kind: 'unexpected' }>): string {
  switch (e.reason) {
    case undefined:
      return `Microsoft 365 could not complete the request${e.code ? ` (${e.code})` : ''}. Try again; if it keeps happening, tell your administrator.`
    case 'answerUnreadable':
      if (e.what !== undefined && e.table !== undefined) return `Microsoft 365 sent ${e.what} of the ${e.table} table in a form we could not read. ${ADMIN}`
      if (e.what !== undefined) return `Microsoft 365 sent ${e.what} we could not read. ${ADMIN}`
      return `Microsoft 365 sent an answer we could not read. ${ADMIN}`
    case 'noDrive':
      return 'Microsoft 365 found the shared item but did not say which drive holds it. Ask its owner for a new link.'
    case 'noSession':
      return 'Microsoft 365 opened an editing session but did not say which. Try again.'
    case 'saveNotVerified': {
      const why =
        e.cause === undefined || e.cause === 'worksheetsDiffer'
          ? 'its worksheets differ from the workbook being saved'
          : describeError({ ...e.cause, path: 'the new copy' } as StoreError)
      return `${theWorkbook(e.path)} was not saved: the new copy did not read back (${why}). The file was left as it was.`
    }
    case 'tableEdit':
      return `${e.detail ?? 'The sheet blocks this change.'} Nothing was written.`
    case 'fileSystem':
      return `${theWorkbook(e.path)} could not be used: ${e.detail ?? e.code ?? 'unknown error'}`
    case 'notWritten':
      return 'Nothing was written.'
    default:
      return exhaustiveSwitchError(e.reason, 'unexpected reason')
  }
}

/** A value typed for a check-in that does not fit what it measures: one line, with the fix when there is one. */
export function describeValueError(error: ValueError, target: string): string {
  switch (error.kind) {
    case 'blank':
      return `Give a value for ${target}.`
    case 'notANumber':
      return `"${error.text}" is not a number; ${target} is counted in ${formatValue(1, error.expected).replace(/^1\s*/, '') || 'plain numbers'}.`
    case 'percentSignMissing':
      return `"${error.text}" on ${target} would be ${formatValue(error.value, { scale: 'percentFraction', unit: '%' })}: did you mean ${error.suggestion} (or ${error.stored})?`
    case 'fractionOnPercentPoints':
      return `"${error.text}" on ${target} would be ${error.text}%, but its goal is kept in percentage points: did you mean ${error.suggestion}? (Type ${error.text}% if you do mean under 1%.)`
    case 'percentNotExpected':
      return `"${error.text}" is a percentage, but ${target} is counted in ${error.unit || 'plain numbers'}; give the number itself.`
    default:
      return exhaustiveSwitchError(error, 'value error')
  }
}

/** Why a page has no workbook to open, with what to do about it. */
export function describeSourceError(error: SourceError): string {
  switch (error.kind) {
    case 'badWorkbookUrl':
      return `The tab's workbook address is not one Graph can open. ${error.reason}`
    case 'noLocalServer':
      return 'No workbook is configured here, and no local server answered at /local-config.json. Start one with `npm start`, or set up the tab with the workbook\'s sharing link.'
    case 'badLocalConfig':
      return "The local server's /local-config.json does not say which workbook to open (it needs graphBaseUrl and driveItemPath)."
    default:
      return exhaustiveSwitchError(error, 'source error')
  }
}
