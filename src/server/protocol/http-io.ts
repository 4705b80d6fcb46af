import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import type { GraphResponse } from './messages.ts'

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

/** Writes a Graph response with the ids the service sends on every response. */
export function sendGraph(req: IncomingMessage, res: ServerResponse, response: GraphResponse): void {
  const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : randomUUID()
  const body = response.body === undefined ? '' : JSON.stringify(response.body)
  res.writeHead(response.status, {
    ...response.headers,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'request-id': randomUUID(),
    'client-request-id': clientRequestId,
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
