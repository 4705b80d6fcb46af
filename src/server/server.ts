import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { accessConflict, apiNotFound, badRequest, gatewayTimeout, generalException, methodNotAllowed, payloadTooLarge, serviceUnavailable, tooManyRequests, type GraphError } from './errors.ts'
import type { Fault, FaultPlan } from './faults.ts'
import { dispatch, type Job, type ServerState } from './handlers/dispatch.ts'
import { driveItemIdFor, type DriveInfo } from './handlers/drive.ts'
import { createSessionRegistry, DEFAULT_SESSION_IDLE_MS, type SessionIdle } from './handlers/sessions.ts'
import { parseBatch, runBatch } from './protocol/batch.ts'
import { checkHostAndOrigin } from './protocol/guard.ts'
import { encodeBody, lowerCaseHeaders, readBody, sendGraph } from './protocol/http-io.ts'
import { json, type GraphRequest, type GraphResponse } from './protocol/messages.ts'
import { errorResponse } from './protocol/odata-error.ts'
import { DEFAULT_MAX_RESPONSE_BYTES, serializeWithinLimit } from './protocol/response-size.ts'
import { routeOf } from './protocol/route.ts'
import { isCompressible, SECURITY_HEADERS, serveStatic } from './protocol/static-files.ts'
import { withFileLock, WorkbookBusy } from '../workbook/file/file-lock.ts'
import { createSerialQueue } from './persistence/queue.ts'
import { openWorkbookHost } from './persistence/workbook-host.ts'

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
  faults?: FaultPlan
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
}

export type RunningServer = {
  /** http://127.0.0.1:PORT */
  origin: string
  /** origin + '/graph/v1.0' */
  graphBaseUrl: string
  /** graphBaseUrl + '/me/drive/items/{id}' */
  driveItemUrl: string
  driveItemId: string
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

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const opened = await openWorkbookHost(options.workbook)
  if (!opened.ok) throw new Error(`Cannot serve ${options.workbook}: ${opened.error.message}`)
  const host = opened.value
  const log = options.log ?? (() => undefined)
  const queue = createSerialQueue()
  // One operation at a time in this process, and none while another program (a CLI command on
  // the same file) is saving it; a file saved behind our back is read again first.
  const exclusive = (request: GraphRequest, job: () => Promise<GraphResponse>): Promise<GraphResponse> =>
    queue.run(async () => {
      try {
        return await withFileLock(host.path, async () => {
          await host.refreshIfChanged()
          return job()
        })
      } catch (e) {
        if (!(e instanceof WorkbookBusy)) throw e
        return errorResponse(accessConflict(e.message), request.headers['client-request-id'])
      }
    })
  const idle = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS
  const sessions = createSessionRegistry(idle, options.clock ?? Date.now)
  const drive: DriveInfo = { itemId: driveItemIdFor(host.path), path: host.path, origin: '' }
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const state: ServerState = { host, sessions, drive, maxResponseBytes }
  let port = 0

  /** Saves (or reloads) before the answer leaves, so every acknowledged write is on disk. */
  async function settle(job: Job, response: GraphResponse, request: GraphRequest): Promise<GraphResponse> {
    if (job.reloadNeeded) {
      await host.reload()
      return job.savedWorkbookChanged ? errorResponse(generalException('The request failed part way; no change was kept.'), request.headers['client-request-id']) : response
    }
    if (!job.savedWorkbookChanged) return response
    try {
      await host.save()
      return response
    } catch (e) {
      await host.reload()
      const why = e instanceof Error ? e.message : String(e)
      return errorResponse(generalException(`The workbook could not be saved; nothing was kept. ${why}`), request.headers['client-request-id'])
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
    return fault ?? dispatch(state, request, job)
  }

  async function graphCall(request: GraphRequest): Promise<GraphResponse | 'drop'> {
    const fault = await injected(options.faults?.({ method: request.method, path: request.path, inBatch: false }) ?? null, request)
    if (fault !== null) return fault
    if (routeOf(request.path).kind === 'batch' && request.method === 'POST') {
      const steps = parseBatch(request.body, request.headers)
      if (!steps.ok) return errorResponse(steps.error, request.headers['client-request-id'])
      // One job for the whole batch: its writes are saved once, at its end, before the reply.
      return exclusive(request, async () => {
        const job: Job = { savedWorkbookChanged: false, reloadNeeded: false }
        // Each sub-response is held to the size limit on its own; the envelope is not (DIFFERENCES.md).
        return settle(job, await runBatch(steps.value, (sub) => runSubRequest(sub, job), maxResponseBytes), request)
      })
    }
    const response = await exclusive(request, async () => {
      const job: Job = { savedWorkbookChanged: false, reloadNeeded: false }
      return settle(job, await dispatch(state, request, job), request)
    })
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
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        return reply(errorResponse(badRequest('The request body is not valid JSON.'), headers['client-request-id']))
      }
    }
    const request: GraphRequest = { method: (req.method ?? 'GET').toUpperCase(), path, query: url.searchParams, headers, body, inBatch: false }
    const response = await graphCall(request)
    if (response === 'drop') {
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
      const graphBaseUrl = `http://${(req.headers.host ?? '').toLowerCase()}${GRAPH_ROOT}`
      return sendGraph(req, res, json(200, { graphBaseUrl, driveItemPath: `/me/drive/items/${drive.itemId}`, driveItemId: drive.itemId }))
    }
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
    async close() {
      clearInterval(sweeper)
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await queue.idle()
      server.closeAllConnections()
      await closed
    },
  }
}
