import { open } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { describeError } from '../messages/errors.ts'
import type { StoreError } from '../workbook/store.ts'
import { fileError, SaveNotVerified, WorkbookReadOnly, type LoadOptions } from '../workbook/file/workbook-file.ts'
import {
  accessConflict,
  accessDenied,
  apiNotFound,
  badRequest,
  gatewayTimeout,
  generalException,
  itemNotFound,
  methodNotAllowed,
  payloadTooLarge,
  serviceUnavailable,
  tooManyRequests,
  tooManySessions,
  unsupportedWorkbook,
  type GraphError,
} from './errors.ts'
import type { Fault, ServerFaults } from './faults.ts'
import { dispatch, type Job, type ServerState } from './handlers/dispatch.ts'
import { downloadPath, driveItemIdFor, fileName, webUrl, XLSX_MIME, type DriveInfo } from './handlers/drive.ts'
import { createSessionRegistry, DEFAULT_MAX_SESSIONS, DEFAULT_SESSION_IDLE_MS, type SessionIdle } from './handlers/sessions.ts'
import { parseBatch, runBatch, type BatchStep } from './protocol/batch.ts'
import { checkHostAndOrigin } from './protocol/guard.ts'
import { attachment, encodeBody, lowerCaseHeaders, readBody, sendGraph } from './protocol/http-io.ts'
import { json, type GraphRequest, type GraphResponse } from './protocol/messages.ts'
import { errorResponse } from './protocol/odata-error.ts'
import { DEFAULT_MAX_RESPONSE_BYTES, serializeWithinLimit } from './protocol/response-size.ts'
import { routeOf, type RouteKind } from './protocol/route.ts'
import { isCompressible, SECURITY_HEADERS, serveStatic } from './protocol/static-files.ts'
import { lockHeld, type LockOptions } from '../workbook/file/file-lock.ts'
import { createSerialQueue } from '../workbook/serial-queue.ts'
import { createGroupCommitter } from './persistence/group-commit.ts'
import { openWorkbookHost, WorkbookChangedOnDisk, WorkbookUnavailable } from './persistence/workbook-host.ts'
import { createOutbox, outboxDirFor } from './persistence/outbox.ts'
import { outboxHtml, outboxIndexPage, outboxMessagePage, outboxNotFound } from './protocol/outbox-pages.ts'

/**
 * The local Graph-compatible server: the Graph subset of GRAPH.md over one .xlsx file, so the
 * pages and the CLI use the very client they use against Microsoft 365 (DESIGN.md, "Emulator
 * layering"). Differences from the service are listed in DIFFERENCES.md.
 */

export type ServerOptions = {
  workbook: string
  /** 0 (the default) = any free port. */
  port?: number
  /** Built pages, served at `/`. */
  staticDir?: string
  faults?: ServerFaults
  sessionIdleMs?: SessionIdle
  log?: (line: string) => void
  /** Milliseconds now; lets tests expire sessions without waiting. */
  clock?: () => number
  /**
   * The most uncompressed JSON one response (or one `$batch` sub-response) may carry before it
   * is answered with ResponsePayloadSizeLimitExceeded; 5 MB like Excel on the web (GRAPH.md §6).
   * Tests lower it instead of building huge workbooks.
   */
  maxResponseBytes?: number
  /** Open sessions at most (DEFAULT_MAX_SESSIONS, 50); createSession beyond it answers 429. */
  maxSessions?: number
  /** The most the workbook may take unzipped (workbook-file.ts, 200 MB by default); tests lower it. */
  maxUnzippedBytes?: number
  /** How writes wait for another program's `{workbook}.lock` (file-lock.ts); tests pass `onWait` instead of timing. */
  lock?: LockOptions
  /** See LoadOptions.onSave: lets a crash test stop the server at a chosen point of a save. */
  onSave?: LoadOptions['onSave']
  /**
   * Wraps every save of a group of writes (persistence/group-commit.ts): tests hold a save open
   * while more writes arrive, or count saves; the bench counts them.
   */
  aroundSave?: (save: () => Promise<void>) => Promise<void>
  /** false: one save per write, the server before group commit (the bench's baseline). Default true. */
  groupCommit?: boolean
  /** false: each save writes the whole workbook, the server before in-place saves (the bench's other baseline). Default true. */
  editInPlace?: boolean
  /** Where sent mail and Teams notifications are kept (default: `outbox/` beside the workbook). */
  outboxDir?: string
}

export type RunningServer = {
  /** http://127.0.0.1:PORT */
  origin: string
  /** origin + '/graph/v1.0' */
  graphBaseUrl: string
  /** graphBaseUrl + '/me/drive/items/{id}' */
  driveItemUrl: string
  driveItemId: string
  /** The driveItem's webUrl: origin + '/workbook/{file name}', the .xlsx download and the local sharing link. */
  webUrl: string
  /** origin + '/outbox': the messages sent through this server. */
  outboxUrl: string
  /** The folder the outbox keeps them in. */
  outboxDir: string
  close(): Promise<void>
}

const GRAPH_ROOT = '/graph/v1.0'
/** Excel on the web takes at most 5 MB per request (GRAPH.md §6). */
const MAX_BODY_BYTES = 5 * 1024 * 1024

function faultError(fault: { status: 429 | 503 | 504; retryAfterSeconds?: number }): GraphError {
  switch (fault.status) {
    case 429:
      return tooManyRequests(fault.retryAfterSeconds)
    case 503:
      return serviceUnavailable(fault.retryAfterSeconds)
    case 504:
      return gatewayTimeout(fault.retryAfterSeconds)
    default:
      return exhaustiveSwitchError(fault.status, 'fault status')
  }
}

/** Routes that answer from the workbook itself; `/me`, the drive item and the `$batch` envelope do not. */
const WORKBOOK_ROUTES: ReadonlySet<RouteKind> = new Set([
  'session',
  'tables',
  'tablesAdd',
  'table',
  'tablePart',
  'columns',
  'column',
  'columnPart',
  'rows',
  'rowsAdd',
  'rowAt',
  'worksheets',
  'worksheetsAdd',
  'worksheet',
  'worksheetRange',
])

/** Why the workbook cannot be served, as the service would say it (errors.ts). */
function unavailableError(problem: StoreError, path: string): GraphError {
  switch (problem.kind) {
    case 'notFound':
      return itemNotFound(`The workbook file ${path}`)
    case 'forbidden':
      return accessDenied(describeError(problem))
    default:
      return unsupportedWorkbook(describeError(problem))
  }
}

/** A failed save, as the service would say it; memory has been reloaded from the untouched file. */
function saveError(e: unknown): GraphError {
  if (e instanceof WorkbookReadOnly) return accessDenied(describeError(fileError(e, e.path)))
  if (e instanceof SaveNotVerified) return generalException(`The workbook could not be saved; nothing was kept. ${describeError(fileError(e, e.path))}`)
  // No permission to create the new copy beside it (a read-only folder or disk): the same refusal.
  const code = (e as NodeJS.ErrnoException | null)?.code
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return accessDenied(`The workbook could not be saved (no permission to write in its folder); nothing was kept. ${e instanceof Error ? e.message : ''}`.trim())
  if (e instanceof WorkbookChangedOnDisk) return accessConflict(e.message)
  if (e instanceof WorkbookUnavailable) return unsupportedWorkbook(e.message)
  const why = e instanceof Error ? e.message : String(e)
  return generalException(`The workbook could not be saved; nothing was kept. ${why}`)
}

/** Whether two URL paths name the same thing once percent-decoded (`%28` and `(` alike). */
function samePath(requested: string, ours: string): boolean {
  try {
    return decodeURIComponent(requested) === decodeURIComponent(ours)
  } catch {
    return false
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const limits: LoadOptions = {
    ...(options.maxUnzippedBytes === undefined ? {} : { maxUnzippedBytes: options.maxUnzippedBytes }),
    ...(options.onSave ? { onSave: options.onSave } : {}),
  }
  const opened = await openWorkbookHost(options.workbook, limits, { editInPlace: options.editInPlace ?? true })
  if (!opened.ok) throw new Error(`Cannot serve ${options.workbook}: ${describeError(opened.error)}`)
  const host = opened.value
  const log = options.log ?? (() => undefined)
  const lock = options.lock ?? {}
  // Every job on the in-memory workbook runs alone, so a read never sees half a write.
  const memory = createSerialQueue()
  /**
   * Reads never wait for another program: they are answered from memory, which is first brought
   * up to date when the file changed, unless a lock says a writer is still at work on it (then
   * memory is the last good copy).
   */
  const read = (job: () => Promise<GraphResponse>): Promise<GraphResponse> =>
    memory.run(async () => {
      if (!(await lockHeld(host.path, lock))) await host.refreshIfChanged()
      return job()
    })
  /**
   * Writes go out in groups (persistence/group-commit.ts): those that arrive while a save runs
   * are applied in arrival order and saved together by the next save, each answered once that
   * save is on disk. A group holds `{workbook}.lock`, so CLI commands writing the file directly
   * take turns with the server; while another program holds the lock, waiting writes hold up
   * only writes, never a read, and reads are answered while a group is saved.
   */
  const committer = createGroupCommitter({
    host,
    memory,
    lock,
    ...(options.groupCommit === false ? { maxGroup: 1 } : {}),
    ...(options.aroundSave ? { aroundSave: options.aroundSave } : {}),
    saveFailed: (e, request) => errorResponse(saveError(e), request.headers['client-request-id']),
    busy: (e, request) => errorResponse(accessConflict(e.message), request.headers['client-request-id']),
    abandoned: (request) => errorResponse(generalException('The caller closed the connection before the write was applied; nothing was changed.'), request.headers['client-request-id']),
    partWay: (request) => errorResponse(generalException('The request failed part way; no change was kept.'), request.headers['client-request-id']),
  })
  const write = (request: GraphRequest, apply: (job: Job) => Promise<GraphResponse>, gone: () => boolean): Promise<GraphResponse> => committer.submit({ request, apply, gone })
  /** A read job: the same settling as before, for a call that is not expected to change the file. */
  const readJob = (request: GraphRequest, apply: (job: Job) => Promise<GraphResponse>) => async () => {
    const job: Job = { savedWorkbookChanged: false, reloadNeeded: false }
    return settle(job, await apply(job), request)
  }
  const idle = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS
  const sessions = createSessionRegistry(idle, options.clock ?? Date.now, maxSessions)

  /** Whether a call may change the file, so it must hold the lock. Non-persistent sessions change only their copy. */
  function changesFile(request: GraphRequest): boolean {
    if (request.method === 'GET') return false
    const kind = routeOf(request.path).kind
    if (!WORKBOOK_ROUTES.has(kind) || kind === 'session') return false
    const id = request.headers['workbook-session-id']
    return !(id !== undefined && sessions.peek(id)?.copy)
  }
  const batchChangesFile = (steps: readonly BatchStep[]) => steps.some((step) => changesFile(step.request))

  /**
   * Answers a call that must not reach the handlers: the workbook file is unreadable (never
   * answered from memory as if fine), or createSession with every session place taken.
   */
  function refusal(request: GraphRequest): GraphResponse | null {
    const route = routeOf(request.path)
    if (!WORKBOOK_ROUTES.has(route.kind)) return null
    const problem = host.problem()
    if (problem !== null) return errorResponse(unavailableError(problem, host.path), request.headers['client-request-id'])
    if (route.kind === 'session' && route.action === 'createSession' && request.method === 'POST') {
      const waitMs = sessions.fullFor()
      if (waitMs !== null) return errorResponse(tooManySessions(maxSessions, Math.ceil(waitMs / 1000)), request.headers['client-request-id'])
    }
    return null
  }
  const drive: DriveInfo = { itemId: driveItemIdFor(host.path), path: host.path, origin: '' }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const outbox = createOutbox(options.outboxDir ?? outboxDirFor(host.path), options.clock)
  const state: ServerState = { host, sessions, drive, maxResponseBytes, outbox }
  let port = 0

  /** Settles a read job: reloads after one that failed half way (and saves one that changed the file anyway). */
  async function settle(job: Job, response: GraphResponse, request: GraphRequest): Promise<GraphResponse> {
    if (job.reloadNeeded) {
      // A read that failed part way changed nothing worth keeping; reloading now would drop a group's writes being saved.
      if (!job.savedWorkbookChanged && host.unsaved()) return response
      await host.reload()
      return job.savedWorkbookChanged ? errorResponse(generalException('The request failed part way; no change was kept.'), request.headers['client-request-id']) : response
    }
    if (!job.savedWorkbookChanged) return response
    try {
      await host.save()
      return response
    } catch (e) {
      await host.reload()
      return errorResponse(saveError(e), request.headers['client-request-id'])
    }
  }

  /** A fault for a call, as a response; `drop` when the connection should just close. */
  async function injected(fault: Fault | null, request: GraphRequest): Promise<GraphResponse | 'drop' | null> {
    if (fault === null) return null
    if ('delayMs' in fault) {
      await sleep(fault.delayMs)
      return null
    }
    if ('dropConnection' in fault) return 'drop'
    return errorResponse(faultError(fault), request.headers['client-request-id'])
  }

  async function runSubRequest(request: GraphRequest, job: Job): Promise<GraphResponse> {
    const fault = await injected(options.faults?.({ method: request.method, path: request.path, inBatch: true }) ?? null, request)
    // A sub-request cannot drop the shared connection: it times out instead.
    if (fault === 'drop') return errorResponse(gatewayTimeout(), request.headers['client-request-id'])
    return fault ?? refusal(request) ?? dispatch(state, request, job)
  }

  /** `gone`: whether the caller has closed the connection (gave up): a write not yet applied then never is. */
  async function graphCall(request: GraphRequest, gone: () => boolean): Promise<GraphResponse | 'drop'> {
    const fault = await injected(options.faults?.({ method: request.method, path: request.path, inBatch: false }) ?? null, request)
    if (fault !== null) return fault
    if (routeOf(request.path).kind === 'batch' && request.method === 'POST') {
      const steps = parseBatch(request.body, request.headers)
      if (!steps.ok) return errorResponse(steps.error, request.headers['client-request-id'])
      // One write for the whole batch: its sub-requests are applied in a row and saved in one group.
      // Each sub-response is held to the size limit on its own; the envelope is not (DIFFERENCES.md).
      const batchJob = (job: Job) => runBatch(steps.value, (sub) => runSubRequest(sub, job), maxResponseBytes)
      return batchChangesFile(steps.value) ? write(request, batchJob, gone) : read(readJob(request, batchJob))
    }
    const callJob = async (job: Job) => refusal(request) ?? (await dispatch(state, request, job))
    const response = await (changesFile(request) ? write(request, callJob, gone) : read(readJob(request, callJob)))
    // After settling: a write whose answer is too large has still been saved, and is not undone.
    return serializeWithinLimit(response, maxResponseBytes, request.headers['client-request-id'])
  }

  async function onGraph(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const headers = lowerCaseHeaders(req)
    const path = url.pathname.slice(GRAPH_ROOT.length) || '/'
    const raw = await readBody(req, MAX_BODY_BYTES)
    const reply = (response: GraphResponse): Promise<void> => {
      log(`${req.method} ${url.pathname}${url.search} ${response.status}`)
      return sendGraph(req, res, response)
    }
    if (raw === null) return reply(errorResponse(payloadTooLarge(MAX_BODY_BYTES), headers['client-request-id']))
    let body: unknown
    // sendMail in MIME format is base64 text, not JSON (user-sendmail.md: Content-Type text/plain).
    if (raw.length > 0 && /^text\/plain\b/i.test(headers['content-type'] ?? '')) body = raw.toString('utf8')
    else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        return reply(errorResponse(badRequest('The request body is not valid JSON.'), headers['client-request-id']))
      }
    }
    const request: GraphRequest = { method: (req.method ?? 'GET').toUpperCase(), path, query: url.searchParams, headers, body, inBatch: false }
    // A caller that gave up (its deadline passed) closes the connection before the answer is sent.
    let gone = false
    const onClose = () => {
      if (res.writableFinished) return
      gone = true
      log(`${req.method} ${url.pathname} closed by the caller before the answer`)
    }
    res.once('close', onClose)
    const response = await graphCall(request, () => gone)
    if (response === 'drop') {
      res.off('close', onClose)
      log(`${req.method} ${url.pathname} dropped (fault)`)
      req.socket.destroy()
      return
    }
    await reply(response)
  }

  function sendPlain(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
    res.end(text)
  }

  /**
   * `GET /workbook/{file name}`: the .xlsx as last saved. Every save (ours and the CLI's) writes
   * a temp file and renames it over the workbook, so the file on disk is always a whole saved
   * copy and reading it needs neither the lock nor the memory queue: a download never waits
   * behind a write, and one open handle keeps serving the copy it opened while a save replaces it.
   */
  async function onDownload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = await open(host.path, 'r').catch(() => null)
    if (file === null) return sendPlain(res, 404, 'The workbook file is gone.\n')
    let size: number
    try {
      size = (await file.stat()).size
    } catch (e) {
      await file.close()
      throw e
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': XLSX_MIME,
      'Content-Disposition': attachment(fileName(drive)),
      'Content-Length': String(size),
      'Cache-Control': 'no-store',
    })
    log(`${req.method} ${downloadPath(drive)} 200`)
    if (req.method === 'HEAD') {
      await file.close()
      res.end()
      return
    }
    // The stream closes the handle when it ends or fails.
    await pipeline(file.createReadStream(), res)
  }

  /** `/outbox`, `/outbox/{id}` and `/outbox/{id}/html` (protocol/outbox-pages.ts). */
  async function onOutbox(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const [, , rawId, part, ...rest] = pathname.split('/')
    let id = ''
    try {
      id = decodeURIComponent(rawId ?? '')
    } catch {
      id = ''
    }
    let page = outboxNotFound()
    if (pathname === '/outbox' || pathname === '/outbox/') page = outboxIndexPage(await outbox.list(), outbox.dir)
    else if (rest.length === 0 && (part === undefined || part === 'html' || part === '')) {
      const message = await outbox.get(id)
      if (message !== null) page = part === 'html' ? outboxHtml(message) : outboxMessagePage(message)
    }
    const encoded = await encodeBody(req, Buffer.from(page.body, 'utf8'))
    res.writeHead(page.status, { ...page.headers, ...encoded.headers })
    res.end(req.method === 'HEAD' ? undefined : encoded.body)
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = checkHostAndOrigin({ host: req.headers.host, origin: req.headers.origin }, port)
    if (refused) {
      log(`${req.method} ${req.url} refused: ${refused.message}`)
      req.resume()
      return sendGraph(req, res, errorResponse(refused))
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    if (url.pathname === GRAPH_ROOT || url.pathname.startsWith(`${GRAPH_ROOT}/`)) return onGraph(req, res, url)
    req.resume()
    if (url.pathname === '/graph' || url.pathname.startsWith('/graph/')) return sendGraph(req, res, errorResponse(apiNotFound(url.pathname)))
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendGraph(req, res, errorResponse(methodNotAllowed(req.method ?? '', url.pathname)))
    if (url.pathname === '/local-config.json') {
      // Built from the Host the page used, so its Graph calls stay same-origin (and pass the Origin check).
      const pageOrigin = `http://${(req.headers.host ?? '').toLowerCase()}`
      const link = webUrl(drive, pageOrigin)
      return sendGraph(
        req,
        res,
        json(200, { graphBaseUrl: `${pageOrigin}${GRAPH_ROOT}`, driveItemPath: `/me/drive/items/${drive.itemId}`, driveItemId: drive.itemId, webUrl: link, sharingUrl: link }),
      )
    }
    if (samePath(url.pathname, downloadPath(drive))) return onDownload(req, res)
    if (url.pathname === '/outbox' || url.pathname.startsWith('/outbox/')) return onOutbox(req, res, url.pathname)
    if (options.staticDir === undefined) return sendPlain(res, 404, 'Not found\n')
    const file = await serveStatic(options.staticDir, url.pathname)
    const encoded = await encodeBody(req, file.body, isCompressible(file.headers['Content-Type']))
    res.writeHead(file.status, { ...file.headers, ...encoded.headers })
    res.end(req.method === 'HEAD' ? undefined : encoded.body)
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log(`${req.method} ${req.url} failed: ${e instanceof Error ? e.stack : String(e)}`)
      if (!res.headersSent) sendGraph(req, res, errorResponse(generalException('The local server failed.'))).catch(() => res.destroy())
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: the workbook is never reachable from the network.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`
  drive.origin = origin
  const sweeper = setInterval(() => sessions.sweep(), Math.max(1_000, Math.min(idle.persistent, idle.nonPersistent, 60_000)))
  sweeper.unref()
  const graphBaseUrl = `${origin}${GRAPH_ROOT}`
  log(`Serving ${host.path} at ${graphBaseUrl}`)

  return {
    origin,
    graphBaseUrl,
    driveItemUrl: `${graphBaseUrl}/me/drive/items/${drive.itemId}`,
    driveItemId: drive.itemId,
    webUrl: webUrl(drive),
    outboxUrl: `${origin}/outbox`,
    outboxDir: outbox.dir,
    async close() {
      clearInterval(sweeper)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await committer.idle()
      await memory.idle()
      server.closeAllConnections()
      await closed
    },
  }
}
