import { exhaustiveSwitchError, ok, err, type Result } from '../../domain/result.ts'
import { apiNotFound, badRequest, invalidArgument, itemNotFound, methodNotAllowed, sessionNotFound, generalException, type GraphError } from '../errors.ts'
import { parseCreateSession } from '../protocol/bodies.ts'
import { empty, json, type GraphRequest, type GraphResponse } from '../protocol/messages.ts'
import { errorResponse } from '../protocol/odata-error.ts'
import { allowedMethods, routeOf, type Route, type SessionAction } from '../protocol/route.ts'
import { applySelect } from '../protocol/select.ts'
import type { WorkbookHost } from '../persistence/workbook-host.ts'
import { driveItemJson, isOurItem, LOCAL_USER, shareResolves, type DriveInfo } from './drive.ts'
import { describeError } from '../../messages/errors.ts'
import type { SessionRegistry } from './sessions.ts'
import { addRows, addTable, deleteRow, getColumn, getColumnPart, getRow, getTable, getTablePart, getWorksheetRange, patchTable, patchWorksheetRange, listColumns, listRows, listTablesReply, updateRow, type RangeRequest, type Target } from './tables.ts'
import { activityNotificationCall, sendMailCall } from './outbox.ts'
import type { Outbox } from '../persistence/outbox.ts'
import { addWorksheetReply, getWorksheet, listWorksheetsReply } from './worksheets.ts'

/** Runs one Graph call (top level or inside a `$batch`) against the workbook. */

export type ServerState = {
  host: WorkbookHost
  sessions: SessionRegistry
  drive: DriveInfo
  /** The most JSON one response may carry (protocol/response-size.ts). */
  maxResponseBytes: number
  /** Where sent mail and Teams notifications go (persistence/outbox.ts). */
  outbox: Outbox
}

/**
 * What the queued job must do before anyone is answered: save the workbook a call changed, or
 * reload it when a call failed halfway through and may have left it half-changed.
 */
export type Job = { savedWorkbookChanged: boolean; reloadNeeded: boolean }

type Reply = Result<GraphResponse, GraphError>

const SESSION_HEADER = 'workbook-session-id'

async function sessionCall(state: ServerState, action: SessionAction, request: GraphRequest): Promise<Reply> {
  switch (action) {
    case 'createSession': {
      // api/workbook-createsession.md: 201 with workbookSessionInfo.
      const body = parseCreateSession(request.body)
      if (!body.ok) return err(invalidArgument(body.error))
      let copy = null
      if (!body.value.persistChanges) {
        const loaded = await state.host.copy()
        if (!loaded.ok) return err(generalException(describeError(loaded.error)))
        copy = loaded.value
      }
      const session = state.sessions.create(body.value.persistChanges, copy)
      return ok(json(201, { id: session.id, persistChanges: session.persistChanges }))
    }
    case 'refreshSession':
    case 'closeSession': {
      // api/workbook-refreshsession.md, api/workbook-closesession.md: header required, 204.
      const id = request.headers[SESSION_HEADER]
      if (id === undefined || id.trim() === '') return err(invalidArgument(`${action} needs the workbook-session-id header.`))
      if (state.sessions.use(id) === null) return err(sessionNotFound())
      if (action === 'closeSession') state.sessions.close(id)
      return ok(empty(204))
    }
    default:
      return exhaustiveSwitchError(action, 'session action')
  }
}

/** The workbook a call works on: a non-persistent session's copy, else the saved one. */
function targetFor(state: ServerState, request: GraphRequest, job: Job): Result<Target, GraphError> {
  const id = request.headers[SESSION_HEADER]
  const session = id === undefined ? null : state.sessions.use(id)
  if (id !== undefined && session === null) return err(sessionNotFound())
  if (session?.copy) return ok({ wb: session.copy, wrote: () => undefined })
  return ok({
    wb: state.host.current(),
    wrote: (note) => {
      job.savedWorkbookChanged = true
      const journal = state.host.changes()
      if (note) note(journal)
      else journal.whole = true
    },
  })
}

async function routeCall(state: ServerState, route: Route, request: GraphRequest, job: Job): Promise<Reply> {
  switch (route.kind) {
    case 'unknown':
      return err(apiNotFound(request.path))
    case 'batch':
      // concepts/known-issues.md: batches do not nest.
      return err(badRequest('A $batch cannot contain another $batch.'))
    case 'me':
      return ok(json(200, LOCAL_USER))
    case 'share':
      return shareResolves(state.drive, route.token) ? ok(json(200, await driveItemJson(state.drive))) : err(itemNotFound('The shared item'))
    case 'sendMail':
      return sendMailCall(state.outbox, request)
    case 'activityNotification':
      return activityNotificationCall(state.outbox, route.user, request)
    case 'driveItem':
      return isOurItem(state.drive, route.item) ? ok(json(200, await driveItemJson(state.drive))) : err(itemNotFound(`The item ${route.item.itemId}`))
    case 'session':
    case 'tables':
    case 'tablesAdd':
    case 'worksheets':
    case 'worksheetsAdd':
    case 'worksheet':
    case 'table':
    case 'tablePart':
    case 'columns':
    case 'column':
    case 'columnPart':
    case 'rows':
    case 'rowsAdd':
    case 'rowAt':
    case 'worksheetRange': {
      if (!isOurItem(state.drive, route.item)) return err(itemNotFound(`The item ${route.item.itemId}`))
      if (route.kind === 'session') return sessionCall(state, route.action, request)
      const target = targetFor(state, request, job)
      if (!target.ok) return target
      return workbookCall(target.value, route, request, { select: request.query.get('$select'), maxResponseBytes: state.maxResponseBytes })
    }
    default:
      return exhaustiveSwitchError(route, 'route')
  }
}

function workbookCall(target: Target, route: Exclude<Route, { kind: 'unknown' | 'batch' | 'me' | 'share' | 'driveItem' | 'session' | 'sendMail' | 'activityNotification' }>, request: GraphRequest, view: RangeRequest): Reply {
  const { wb } = target
  switch (route.kind) {
    case 'tables':
      return listTablesReply(wb, route.sheet)
    case 'tablesAdd':
      return addTable(target, route.sheet, request, route.sheet === null ? 200 : 201)
    case 'table':
      return request.method === 'PATCH' ? patchTable(target, route.table, request) : getTable(wb, route.table)
    case 'worksheets':
      return request.method === 'POST' ? addWorksheetReply(target, request) : listWorksheetsReply(wb)
    case 'worksheetsAdd':
      return addWorksheetReply(target, request)
    case 'worksheet':
      return getWorksheet(wb, route.sheet)
    case 'tablePart':
      return getTablePart(wb, route.table, route.part, view)
    case 'columns':
      return listColumns(wb, route.table)
    case 'column':
      return getColumn(wb, route.table, route.column)
    case 'columnPart':
      return getColumnPart(wb, route.table, route.column, route.part, view)
    case 'rows':
      return request.method === 'POST' ? addRows(target, route.table, request, 201) : listRows(wb, route.table, request)
    case 'rowsAdd':
      return addRows(target, route.table, request, 200)
    case 'rowAt':
      if (request.method === 'PATCH') return updateRow(target, route.table, route.index, request)
      if (request.method === 'DELETE') return deleteRow(target, route.table, route.index)
      return getRow(wb, route.table, route.index)
    case 'worksheetRange':
      if (request.method === 'PATCH') return patchWorksheetRange(target, route.sheet, route.address, request, view)
      return getWorksheetRange(wb, route.sheet, route.address, view)
    default:
      return exhaustiveSwitchError(route, 'workbook route')
  }
}

export async function dispatch(state: ServerState, request: GraphRequest, job: Job): Promise<GraphResponse> {
  const route = routeOf(request.path)
  let reply: Reply
  if (route.kind !== 'unknown' && !allowedMethods(route.kind).includes(request.method)) {
    reply = err(methodNotAllowed(request.method, request.path))
  } else {
    try {
      reply = await routeCall(state, route, request, job)
    } catch (e) {
      job.reloadNeeded = true
      reply = err(generalException(e instanceof Error ? e.message : String(e)))
    }
  }
  if (!reply.ok) return errorResponse(reply.error, request.headers['client-request-id'])
  const response = reply.value
  // Ranges were built with only the selected properties already; projecting them again is a no-op.
  if (request.method === 'GET' && response.body !== undefined) return { ...response, body: applySelect(response.body, request.query.get('$select')) }
  return response
}
