import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

/**
 * A loopback HTTP proxy in front of the local server, where the bench counts what goes over the
 * wire ("count them at the server") and adds latency, without touching the server or the pages.
 *
 * Everything is forwarded (pages, /local-config.json, Graph). The server accepts only its own
 * Host and Origin (src/server/protocol/guard.ts), so both are rewritten to the server's; and the
 * server builds /local-config.json's URLs from the Host it saw, so that JSON is rewritten back to
 * point at the proxy: the pages then send their Graph calls here too.
 */

export type Exchange = {
  method: string
  path: string
  status: number
  /** A Graph call (under /graph/), as opposed to a page, an asset or /local-config.json. */
  graph: boolean
  /** Sub-requests of a `$batch` (0 for any other call). */
  subRequests: number
  requestBytes: number
  /** Response body as sent (gzip when the caller accepted it). */
  wireBytes: number
  /** Response body decoded: the JSON the caller parses, the size Graph's 5 MB limit is about. */
  bodyBytes: number
  /** From forwarding (after the added latency) to the whole answer. */
  ms: number
  /** performance.now() in the bench when the request arrived at the proxy. */
  arrivedAt: number
  /** The caller closed the connection before the answer came (it gave up, e.g. its timeout): status 0. */
  abandoned?: boolean
}

export type Tally = {
  requests: number
  subRequests: number
  requestBytes: number
  wireBytes: number
  bodyBytes: number
  statuses: number[]
  /** The largest response body (decoded) of one request: Graph refuses responses over 5 MB. */
  largestBodyBytes: number
  /** Requests the caller gave up on before their answer (counted in `requests` too). */
  abandoned: number
  /** Summed time from forwarding each request to its whole answer: the server's share (added latency excluded). */
  serverMs: number
}

export type CountingProxy = {
  origin: string
  /** The proxy's equivalent of the server's graphBaseUrl. */
  graphBaseUrl: string
  /** Milliseconds waited before each request is forwarded (settable between phases). */
  latencyMs: number
  /** A position in the log; `since(mark)` gives what was exchanged after it. */
  mark(): number
  since(mark: number): Exchange[]
  close(): Promise<void>
}

export function tally(exchanges: readonly Exchange[]): Tally {
  const graph = exchanges.filter((e) => e.graph)
  return {
    requests: graph.length,
    subRequests: graph.reduce((n, e) => n + e.subRequests, 0),
    requestBytes: graph.reduce((n, e) => n + e.requestBytes, 0),
    wireBytes: graph.reduce((n, e) => n + e.wireBytes, 0),
    bodyBytes: graph.reduce((n, e) => n + e.bodyBytes, 0),
    statuses: graph.map((e) => e.status),
    abandoned: graph.filter((e) => e.abandoned).length,
    largestBodyBytes: graph.reduce((n, e) => Math.max(n, e.bodyBytes), 0),
    serverMs: graph.reduce((n, e) => n + e.ms, 0),
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'])

function batchSize(path: string, body: Buffer): number {
  if (!/\/\$batch$/.test(path) || body.length === 0) return 0
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { requests?: unknown }
    return Array.isArray(parsed.requests) ? parsed.requests.length : 0
  } catch {
    return 0
  }
}

export async function startCountingProxy(target: { origin: string }, latencyMs = 0): Promise<CountingProxy> {
  const upstream = new URL(target.origin)
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const log: Exchange[] = []
  let origin = ''
  const proxy: CountingProxy = {
    get origin() {
      return origin
    },
    get graphBaseUrl() {
      return `${origin}/graph/v1.0`
    },
    latencyMs,
    mark: () => log.length,
    since: (mark) => log.slice(mark),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      agent.destroy()
    },
  }

  const server = createServer((req, res) => {
    const started = performance.now()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const path = req.url ?? '/'
      const isConfig = path.split('?')[0] === '/local-config.json'
      const headers: OutgoingHttpHeaders = {}
      for (const [name, value] of Object.entries(req.headers as IncomingHttpHeaders)) {
        if (value === undefined || HOP_BY_HOP.has(name)) continue
        headers[name] = value
      }
      headers.host = upstream.host
      if (typeof headers.origin === 'string' && headers.origin.toLowerCase() === origin) headers.origin = upstream.origin
      if (isConfig) delete headers['accept-encoding']
      if (body.length > 0) headers['content-length'] = String(body.length)
      let answered = false
      let forwardedAt = started
      const forward = (): void => {
        forwardedAt = performance.now()
        if (res.destroyed) return
        const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers, agent }, (answer) => {
          const parts: Buffer[] = []
          answer.on('data', (c: Buffer) => parts.push(c))
          answer.on('end', () => {
            if (answered) return
            let payload = Buffer.concat(parts)
            const encoding = String(answer.headers['content-encoding'] ?? '')
            let decoded = payload.length
            if (encoding === 'gzip') {
              try {
                decoded = gunzipSync(payload).length
              } catch {
                decoded = payload.length
              }
            }
            const replyHeaders: OutgoingHttpHeaders = {}
            for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) replyHeaders[name] = value
            if (isConfig && answer.statusCode === 200) {
              // Point the page's Graph calls (and its workbook link) at the proxy.
              const text = payload.toString('utf8').split(upstream.origin).join(origin).split(`http://localhost:${upstream.port}`).join(origin)
              payload = Buffer.from(text, 'utf8')
              decoded = payload.length
              delete replyHeaders['content-encoding']
            }
            replyHeaders['content-length'] = String(payload.length)
            log.push({
              method: req.method ?? 'GET',
              path,
              status: answer.statusCode ?? 0,
              graph: path.startsWith('/graph/'),
              subRequests: batchSize(path, body),
              requestBytes: body.length,
              wireBytes: payload.length,
              bodyBytes: decoded,
              ms: performance.now() - forwardedAt,
              arrivedAt: started,
            })
            answered = true
            if (res.destroyed) return
            res.writeHead(answer.statusCode ?? 502, replyHeaders)
            res.end(payload)
          })
          answer.on('error', () => res.destroy())
        })
        out.on('error', () => {
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(502, { 'content-type': 'text/plain' })
            res.end('bench proxy: the local server did not answer\n')
          }
        })
        // A caller that gives up closes its connection: so does the proxy, so the server sees it
        // too (the server never applies a write whose caller has gone).
        res.on('close', () => {
          if (answered) return
          answered = true
          out.destroy()
          log.push({ method: req.method ?? 'GET', path, status: 0, graph: path.startsWith('/graph/'), subRequests: batchSize(path, body), requestBytes: body.length, wireBytes: 0, bodyBytes: 0, ms: performance.now() - forwardedAt, arrivedAt: started, abandoned: true })
        })
        out.end(body)
      }
      if (proxy.latencyMs > 0) setTimeout(forward, proxy.latencyMs)
      else forward()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
