import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import type { GraphResponse } from './messages.ts'

const gzip = promisify(gzipCallback)

/** Reads a request body up to `limit` bytes; null when it is larger (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/**
 * Whether an `Accept-Encoding` value (RFC 9110 §12.5.3) accepts gzip: named (or `x-gzip`, or
 * `*`) with a non-zero weight, and not refused by name.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false
  const weights = new Map<string, number>()
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase())
    if (name === '') continue
    const q = params.find((p) => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    weights.set(name, Number.isFinite(weight) ? weight : 0)
  }
  const named = weights.get('gzip') ?? weights.get('x-gzip')
  return named !== undefined ? named > 0 : (weights.get('*') ?? 0) > 0
}

/**
 * A body as it goes on the wire: gzip-compressed when the client accepts it, as Graph does,
 * with `Vary: Accept-Encoding` on every compressible answer so caches keep both forms apart.
 */
export async function encodeBody(req: IncomingMessage, body: Buffer, compressible = true): Promise<{ body: Buffer; headers: Record<string, string> }> {
  if (!compressible) return { body, headers: { 'Content-Length': String(body.length) } }
  const vary = { Vary: 'Accept-Encoding' }
  if (body.length === 0 || !acceptsGzip(req.headers['accept-encoding'])) return { body, headers: { ...vary, 'Content-Length': String(body.length) } }
  const packed = await gzip(body)
  return { body: packed, headers: { ...vary, 'Content-Encoding': 'gzip', 'Content-Length': String(packed.length) } }
}

/** Writes a Graph response with the ids the service sends on every response. */
export async function sendGraph(req: IncomingMessage, res: ServerResponse, response: GraphResponse): Promise<void> {
  const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : randomUUID()
  const text = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body))
  const encoded = await encodeBody(req, Buffer.from(text, 'utf8'))
  res.writeHead(response.status, {
    ...response.headers,
    ...encoded.headers,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'request-id': randomUUID(),
    'client-request-id': clientRequestId,
  })
  res.end(req.method === 'HEAD' ? undefined : encoded.body)
}

/**
 * RFC 6266: a quoted ASCII `filename` for every browser, plus `filename*` (RFC 8187) when the
 * name has characters the quoted form cannot carry.
 */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  if (ascii === name) return `attachment; filename="${name}"`
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
