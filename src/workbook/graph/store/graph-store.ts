import type { TokenProvider } from '../../../auth/tokens.ts'
import { err, exhaustiveSwitchError, ok, type Result } from '../../../domain/result.ts'
import { CONTRACT, findColumn, type TableName } from '../../contract.ts'
import type { RawWorkbook } from '../../raw.ts'
import type { AppendRows, AssignKey, AssignKeyError, CreateTables, CreateTablesError, RowSnapshot, StoreError, TablesCreated, UpdateRow, WorkbookStore, WriteError, WriteReceipt } from '../../store.ts'
import { newTablesRefused } from '../../new-tables.ts'
import { createdTables, createTablesOnce, type CreatePlan } from './create-tables.ts'
import { createSerialQueue } from '../../serial-queue.ts'
import { keyText } from '../../write-plan.ts'
import { systemClock, type Clock } from '../chain/clock.ts'
import type { FaultPlan } from '../chain/faults.ts'
import type { FetchLike, RequestInfoForCount } from '../chain/http.ts'
import { createGraphTransport, type GraphTransport } from '../chain/transport.ts'
import type { DriveItemLocation } from '../protocol/location.ts'
import { workbookPaths } from '../protocol/paths.ts'
import { readTables } from './reads.ts'
import { workbookSession } from './session.ts'
import { appendOnce, assignKeyOnce, createRowHints, type AttemptState, locateRow, readHeaders, removeLateDuplicates, settle, updateCellsHold, updateLanded, updateOnce, type Round, type WriteContext } from './writes.ts'

export type GraphStoreOptions = {
  location: DriveItemLocation
  tokens: TokenProvider
  clock?: Clock
  /** Per HTTP try (default 30 s). */
  timeoutMs?: number
  /** Bounded tries for a throttled read and for a whole write (default 4). */
  maxTries?: number
  /** Counts HTTP round trips for tests and bench. */
  onRequest?: (info: RequestInfoForCount) => void
  /** Longest single wait before giving up as 'throttled' (default 60 s). */
  maxWaitMs?: number
  /** Planned faults (tests): see chain/faults.ts. */
  faults?: FaultPlan
  /** The HTTP client at the end of the chain (tests pass a stub; default: global fetch). */
  fetch?: FetchLike
  /**
   * 'none' (default): every call stands alone, which the Excel docs call fit for occasional
   * requests (a CLI command). 'persistent': one session kept and refreshed while the store is
   * open, for a surface that writes often (concepts/excel-manage-sessions.md).
   */
  session?: 'none' | 'persistent'
  /** Origins besides Graph's own hosts and loopback that may receive the token. */
  trustedOrigins?: readonly string[]
}

function unreadableTable(table: TableName, what: string): StoreError {
  return { kind: 'unexpected', reason: 'answerUnreadable', what, table }
}

export function openGraphStore(options: GraphStoreOptions): WorkbookStore {
  const clock = options.clock ?? systemClock
  const transport: GraphTransport = createGraphTransport({
    baseUrl: options.location.baseUrl,
    tokens: options.tokens,
    clock,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.maxTries !== undefined ? { maxTries: options.maxTries } : {}),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    ...(options.trustedOrigins ? { trustedOrigins: options.trustedOrigins } : {}),
  })
  const paths = workbookPaths(options.location.itemPath)
  const persistent = options.session === 'persistent'
  const session = workbookSession(transport, paths)
  const hints = createRowHints()
  const tries = transport.tries
  const attempted = new Set<string>()

  // One request at a time per workbook, writes above all (concepts/workbook-best-practice.md).
  const exclusive = createSerialQueue().run

  const context = async (): Promise<Result<WriteContext, StoreError>> => {
    if (!persistent) return ok({ transport, paths, sessionId: null, hints })
    const id = await session.current()
    return id.ok ? ok({ transport, paths, sessionId: id.value, hints }) : id
  }

  const read = async (tables: readonly TableName[]): Promise<Result<RawWorkbook, StoreError>> => {
    const names = [...new Set(tables)]
    const ctx = await context()
    if (!ctx.ok) return ctx
    const reads = await readTables(transport, paths, names, ctx.value.sessionId)
    if (!reads.ok) return err(forgetBrokenSession(reads.error))
    const result: RawWorkbook = { tables: {}, missing: [] }
    for (const name of names) {
      const one = reads.value.get(name)
      if (!one) return err(unreadableTable(name, 'nothing'))
      switch (one.kind) {
        case 'table': {
          result.tables[name] = one.table
          const key = CONTRACT[name].key
          const keyIndex = key ? findColumn(one.table.headers, key) : -1
          if (one.table.origin) {
            hints.remember(name, { headers: one.table.headers, origin: one.table.origin }, keyIndex >= 0 ? one.table.rows.map((r) => keyText(r[keyIndex])) : undefined)
          }
          break
        }
        case 'missing':
          result.missing.push(name)
          break
        case 'failed':
          return err(forgetBrokenSession(one.error))
        case 'unreadable':
          return err(unreadableTable(name, one.what))
        default:
          return exhaustiveSwitchError(one, 'table read')
      }
    }
    // Graph answers itemNotFound alike for a missing workbook and a missing table: when no table
    // is found at all, a wrong link is far likelier than a workbook without any plan table.
    if (names.length > 0 && result.missing.length === names.length) {
      return err({ kind: 'notFound', tables: [...names] })
    }
    return ok(result)
  }

  const readRow = async (table: TableName, key: string): Promise<Result<RowSnapshot, WriteError>> => {
    const ctx = await context()
    if (!ctx.ok) return ctx
    const located = await locateRow(ctx.value, table, key, false)
    if (located.kind !== 'done') return err(forgetBrokenSession(located.error))
    const { target, row } = located.value
    return ok({ headers: target.headers, values: row.values, ...(row.formats ? { numberFormats: row.formats } : {}) })
  }

  /**
   * The loop both writes share. A "again" answer (session lost, or an outcome we cannot know)
   * runs the write again after Retry-After or a short settle, reading the ChangeIds back first
   * so it lands once; a re-sent write is followed by a sweep for late duplicates.
   */
  const writeLoop = async <E extends AssignKeyError | CreateTablesError = WriteError>(
    changeId: string,
    attemptOnce: (ctx: WriteContext, state: AttemptState) => Promise<Round<{ moved: number } | WriteReceipt | null, E>>,
    sweep: (ctx: WriteContext, receipt: WriteReceipt) => Promise<Round<number>>,
    /** After every try's answer was lost: whether the write landed, read only. By default its ChangeId in the ChangeLog. */
    hasLanded: (ctx: WriteContext, state: AttemptState) => Promise<Round<boolean, E>> = (ctx) => changeIdLogged(ctx, changeId),
  ): Promise<Result<WriteReceipt, E | StoreError>> => {
    // An action this store already sent may have landed: it reads back before sending again.
    const state: AttemptState = { recheck: attempted.has(changeId), logged: false, sentLogRows: 0 }
    attempted.add(changeId)
    let loggedRows = 0
    let sentThisCall = false
    let uncertainLogRows = 0
    let lastError: StoreError = { kind: 'unexpected', reason: 'notWritten' }
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      const ctx = await context()
      if (!ctx.ok) return ctx
      state.sentLogRows = 0
      const round = await attemptOnce(ctx.value, state)
      if (round.kind === 'failed') return err(forgetBrokenSession(round.error))
      if (round.kind === 'again') {
        if (round.error.kind === 'sessionExpired' || round.error.kind === 'unavailable') session.forget()
        lastError = round.error
        state.recheck = true
        // If that write landed after all, its log rows are this call's.
        if (state.sentLogRows > 0) uncertainLogRows = state.sentLogRows
        sentThisCall = true
        if (attempt < tries) settle(transport, attempt)
        continue
      }
      const value = round.value
      if (value !== null && 'moved' in value) {
        state.logged = true
        sentThisCall = true
        loggedRows += value.moved
        continue
      }
      if (value === null) return ok(sentThisCall ? { applied: true, changeLogRows: loggedRows + uncertainLogRows } : { applied: false, changeLogRows: 0 })
      loggedRows += value.changeLogRows
      // A write sent again may meet an earlier try that was still on its way.
      if (state.recheck) await sweep(ctx.value, value)
      return ok({ applied: true, changeLogRows: loggedRows })
    }
    // The last try's outcome is unknown: a write that landed must not be reported as failed, so
    // its ChangeId is looked for first (issue 14). One that lands even later is found by a retry
    // with the same ChangeId, which never writes twice.
    if (!sentThisCall) return err(lastError)
    const ctx = await context()
    if (!ctx.ok) return err(lastError)
    const found = await hasLanded(ctx.value, state)
    // It landed over a change it never saw: that was put back, and the caller hears the conflict.
    if (found.kind === 'failed' && found.error.kind === 'conflict') return err(found.error)
    if (found.kind === 'done' && found.value) return ok({ applied: true, changeLogRows: loggedRows + uncertainLogRows })
    return err(lastError)
  }

  // Not found or not readable: either way the caller hears the last try's failure.
  const changeIdLogged = async (ctx: WriteContext, changeId: string): Promise<{ kind: 'done'; value: boolean }> => {
    const read = await readHeaders(ctx, 'ChangeLog', { keys: false, changeIds: true, rowAt: null })
    return { kind: 'done', value: read.kind === 'done' && read.value.changeIds?.includes(changeId) === true }
  }

  // After a 500 "further access to the session is not expected"; after a 502/503 with no known
  // code, recreate it (concepts/workbook-error-handling.md).
  const forgetBrokenSession = <E extends AssignKeyError | CreateTablesError>(error: E): E => {
    if (error.kind === 'unexpected' || error.kind === 'unavailable' || error.kind === 'sessionExpired') session.forget()
    return error
  }

  const updateRow = (command: UpdateRow) =>
    writeLoop(
      command.audit.changeId,
      async (ctx, state) => {
        const round = await updateOnce(ctx, command, state)
        if (round.kind !== 'done') return round
        const outcome = round.value
        switch (outcome.kind) {
          case 'written':
            return { kind: 'done', value: outcome.receipt }
          case 'alreadyThere':
            return { kind: 'done', value: null }
          case 'moved':
            return { kind: 'done', value: { moved: outcome.loggedRows } }
          default:
            return exhaustiveSwitchError(outcome, 'update outcome')
        }
      },
      (ctx, receipt) => removeLateDuplicates(ctx, command.table, [], command.audit, receipt.changeLogRows),
      async (ctx, state) => {
        // The log rows landed with a try that met a sorted table: only the cells can tell.
        if (state.logged) return updateCellsHold(ctx, command)
        return updateLanded(ctx, command, () => changeIdLogged(ctx, command.audit.changeId))
      },
    )

  const appendRows = (command: AppendRows) => {
    const key = CONTRACT[command.table].key
    const keys = key ? command.rows.map((r) => keyText(r[key])).filter((k) => k !== '') : []
    return writeLoop(
      command.audit.changeId,
      (ctx, state) => appendOnce(ctx, command, state),
      (ctx, receipt) => removeLateDuplicates(ctx, command.table, keys, command.audit, receipt.changeLogRows),
    )
  }

  // A row without a key: found by position and what the user saw, checked again in the write batch.
  const assignKey = (command: AssignKey) =>
    writeLoop(
      command.audit.changeId,
      (ctx, state) => assignKeyOnce(ctx, command, state),
      (ctx, receipt) => removeLateDuplicates(ctx, command.table, [], command.audit, receipt.changeLogRows),
    )

  // Each Set up action's chosen sheets, so a retry of it (same ChangeId) finishes on the same ones.
  const createPlans = new Map<string, CreatePlan>()

  const createTables = async (command: CreateTables): Promise<Result<TablesCreated, CreateTablesError>> => {
    const refused = newTablesRefused(command)
    if (refused) return err(refused)
    const { changeId } = command.audit
    const state = createPlans.get(changeId) ?? { sheets: new Map() }
    createPlans.set(changeId, state)
    const written = await writeLoop<CreateTablesError>(
      changeId,
      (ctx, attempt) => createTablesOnce(ctx, command, state, attempt),
      (ctx, receipt) => removeLateDuplicates(ctx, 'ChangeLog', [], command.audit, receipt.changeLogRows),
    )
    if (!written.ok) return written
    return ok({ ...written.value, tables: createdTables(command, state) })
  }

  return {
    read: (tables) => exclusive(() => read(tables)),
    readRow: (table, key) => exclusive(() => readRow(table, key)),
    updateRow: (command) => exclusive(() => updateRow(command)),
    appendRows: (command) => exclusive(() => appendRows(command)),
    assignKey: (command) => exclusive(() => assignKey(command)),
    createTables: (command) => exclusive(() => createTables(command)),
    close: () => exclusive(() => session.close()),
  }
}
