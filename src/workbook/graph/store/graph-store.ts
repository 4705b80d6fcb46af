import type { TokenProvider } from '../../../auth/tokens.ts'
import { err, exhaustiveSwitchError, ok, type Result } from '../../../domain/result.ts'
import type { TableName } from '../../contract.ts'
import type { CellValue, RawWorkbook } from '../../raw.ts'
import type { AppendRows, StoreError, UpdateRow, WorkbookStore, WriteError, WriteReceipt } from '../../store.ts'
import { planAppend, planUpdate, type AppendPlan, type UpdatePlan } from '../../write-plan.ts'
import { headerValue, readBatch, type BatchRequest } from '../protocol/batch.ts'
import { systemClock, type Clock } from '../chain/clock.ts'
import { backoffMs } from '../chain/retry.ts'
import type { FaultPlan } from '../chain/faults.ts'
import type { FetchLike } from '../chain/http.ts'
import type { DriveItemLocation } from '../protocol/location.ts'
import { workbookPaths, type WorkbookPaths } from '../protocol/paths.ts'
import { workbookSession } from './session.ts'
import { tableFromReplies, tableReadRequests } from './reads.ts'
import { createGraphTransport, replyError, type GraphTransport } from '../chain/transport.ts'
import { applyWrites, readForWrite, serial, type Round, type WriteSnapshot } from './writes.ts'

export type GraphStoreOptions = {
  location: DriveItemLocation
  tokens: TokenProvider
  clock?: Clock
  /** Per HTTP try (default 30 s). */
  timeoutMs?: number
  /** Bounded tries for a throttled read and for a whole write (default 4). */
  maxTries?: number
  /** Counts HTTP round trips for tests and bench. */
  onRequest?: (info: { method: string; url: string }) => void
  /** Longest single wait before giving up as 'throttled' (default 60 s). */
  maxWaitMs?: number
  /** Planned faults (tests): see faults.ts. */
  faults?: FaultPlan
  /** The HTTP client at the end of the chain (tests pass a stub; default: global fetch). */
  fetch?: FetchLike
}

type Planned = { requests: Omit<BatchRequest, 'id' | 'dependsOn'>[]; changeLogRows: number }

function logRequest(paths: WorkbookPaths, rows: CellValue[][]): Omit<BatchRequest, 'id' | 'dependsOn'>[] {
  return rows.length > 0 ? [{ method: 'POST', url: paths.addRows('ChangeLog'), body: { index: null, values: rows } }] : []
}

function updateRequests(paths: WorkbookPaths, table: TableName, plan: UpdatePlan): Planned | null {
  switch (plan.kind) {
    case 'write':
      return {
        requests: [{ method: 'PATCH', url: paths.rowAt(table, plan.rowIndex), body: { values: [plan.values] } }, ...logRequest(paths, plan.changeLogRows)],
        changeLogRows: plan.changeLogRows.length,
      }
    case 'logOnly':
      return { requests: logRequest(paths, plan.changeLogRows), changeLogRows: plan.changeLogRows.length }
    case 'alreadyApplied':
      return null
    default:
      return exhaustiveSwitchError(plan, 'update plan')
  }
}

function appendRequests(paths: WorkbookPaths, table: TableName, plan: AppendPlan): Planned | null {
  switch (plan.kind) {
    case 'write':
      return {
        // index null = append after the last row (api/tablerowcollection-add.md).
        requests: [{ method: 'POST', url: paths.addRows(table), body: { index: null, values: plan.rows } }, ...logRequest(paths, plan.changeLogRows)],
        changeLogRows: plan.changeLogRows.length,
      }
    case 'logOnly':
      return { requests: logRequest(paths, plan.changeLogRows), changeLogRows: plan.changeLogRows.length }
    case 'alreadyApplied':
      return null
    default:
      return exhaustiveSwitchError(plan, 'append plan')
  }
}

function unreadableTable(table: TableName): StoreError {
  return { kind: 'unexpected', message: `Microsoft 365 sent the ${table} table in a form we could not read. Try again; if it keeps happening, tell your administrator.` }
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
  })
  const paths = workbookPaths(options.location.itemPath)
  const session = workbookSession(transport, paths)
  const tries = transport.tries

  // One request at a time per workbook, writes above all (concepts/workbook-best-practice.md).
  let queue: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work)
    queue = run.catch(() => undefined)
    return run
  }

  const read = async (tables: readonly TableName[]): Promise<Result<RawWorkbook, StoreError>> => {
    const names = [...new Set(tables)]
    const requests = names.flatMap((name, i) => tableReadRequests(paths, name, String(i + 1)))
    const replies = await readBatch(transport, requests, null)
    if (!replies.ok) return replies
    const result: RawWorkbook = { tables: {}, missing: [] }
    for (const [i, name] of names.entries()) {
      const read = tableFromReplies(name, replies.value, String(i + 1))
      switch (read.kind) {
        case 'table':
          result.tables[name] = read.table
          break
        case 'missing':
          result.missing.push(name)
          break
        case 'failed':
          return err(replyError(transport, read.reply.status, headerValue(read.reply.headers, 'Retry-After'), read.reply.body, { table: name }))
        case 'unreadable':
          return err(unreadableTable(name))
        default:
          return exhaustiveSwitchError(read, 'table read')
      }
    }
    // Graph answers itemNotFound alike for a missing workbook and a missing table: when no table
    // is found at all, a wrong link is far likelier than a workbook without any plan table.
    if (names.length > 0 && result.missing.length === names.length) {
      return err({
        kind: 'notFound',
        message: `The workbook was not found, or it has none of the plan's tables (${names.join(', ')}). Check the link, or ask its owner to share it with you.`,
      })
    }
    return ok(result)
  }

  /**
   * The shared loop of both writes: round trip 1, plan, round trip 2; on an "again" answer the
   * whole thing runs again, so the planner sees what landed (same ChangeId or key) and the
   * action lands once. Bounded by `tries`.
   */
  const write = async (
    table: TableName,
    plan: (snapshot: WriteSnapshot) => Result<Planned | null, WriteError>,
  ): Promise<Result<WriteReceipt, WriteError>> => {
    let sent: Planned | null = null
    let lastError: StoreError = { kind: 'unexpected', message: 'Nothing was written.' }
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      const sessionId = await session.current()
      if (!sessionId.ok) return sessionId
      const snapshot: Round<WriteSnapshot> = await readForWrite(transport, paths, table, sessionId.value)
      if (snapshot.kind === 'failed') return err(forgetBrokenSession(snapshot.error))
      if (snapshot.kind === 'again') {
        session.forget()
        lastError = snapshot.error
        backOff(attempt)
        continue
      }
      const planned = plan(snapshot.value)
      if (!planned.ok) return planned
      if (planned.value === null) {
        // Already in the workbook: by an earlier try of this call (then this call applied it), or by an earlier call.
        return ok(sent ? { applied: true, changeLogRows: sent.changeLogRows } : { applied: false, changeLogRows: 0 })
      }
      const applied = await applyWrites(transport, serial(planned.value.requests), sessionId.value)
      if (applied.kind === 'done') return ok({ applied: true, changeLogRows: planned.value.changeLogRows })
      if (applied.kind === 'failed') return err(forgetBrokenSession(applied.error))
      if (applied.error.kind === 'sessionExpired' || applied.error.kind === 'unavailable') session.forget()
      sent = planned.value
      lastError = applied.error
      backOff(attempt)
    }
    return err(lastError)
  }

  // After a 500 "further access to the session is not expected"; after a 502/503 with no known
  // code, recreate it (concepts/workbook-error-handling.md).
  const forgetBrokenSession = <E extends WriteError>(error: E): E => {
    if (error.kind === 'unexpected' || error.kind === 'unavailable') session.forget()
    return error
  }

  // Without a Retry-After, wait exponentially longer before running the write again
  // (concepts/throttling.md); a Retry-After already set a longer cooldown, which wins.
  const backOff = (attempt: number): void => {
    if (attempt < tries) transport.cooldown.hold(backoffMs(attempt))
  }

  return {
    read: (tables) => exclusive(() => read(tables)),
    updateRow: (command: UpdateRow) =>
      exclusive(() =>
        write(command.table, (s) => {
          const plan = planUpdate(command, s.target, s.log)
          return plan.ok ? ok(updateRequests(paths, command.table, plan.value)) : plan
        }),
      ),
    appendRows: (command: AppendRows) =>
      exclusive(() =>
        write(command.table, (s) => {
          const plan = planAppend(command, s.target, s.log)
          return plan.ok ? ok(appendRequests(paths, command.table, plan.value)) : plan
        }),
      ),
    close: () => exclusive(() => session.close()),
  }
}
