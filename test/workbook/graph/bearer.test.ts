import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { noToken, staticToken, type TokenProvider } from '../../../src/auth/tokens.ts'
import { createGraphTransport } from '../../../src/workbook/graph/chain/transport.ts'
import { fakeClock, jsonResponse } from './fake-graph.ts'

async function authorizationSent(baseUrl: string, path: string, tokens: TokenProvider = staticToken('s3cret'), trustedOrigins: string[] = []): Promise<string | null> {
  let seen: string | null = 'not sent'
  const transport = createGraphTransport({
    baseUrl,
    tokens,
    trustedOrigins,
    clock: fakeClock(),
    fetch: async (_url, init) => {
      seen = new Headers(init.headers).get('Authorization')
      return jsonResponse(200, {})
    },
  })
  const reply = await transport.send({ method: 'GET', path, headers: { Authorization: 'Bearer smuggled' } })
  expect(reply.ok).toBe(true)
  return seen
}

// GRAPH.md §10: the SDK's AuthenticationHandler drops the token for non-Graph hosts. Ours sends it
// to Graph's hosts (learn.microsoft.com graph/deployments lists the national clouds), to loopback,
// and to an origin the administrator configured; never to a host named only by a SOURCE.
describe('bearer token', () => {
  it.each(['https://graph.microsoft.com/v1.0', 'https://graph.microsoft.us/v1.0', 'https://dod-graph.microsoft.us/v1.0', 'https://microsoftgraph.chinacloudapi.cn/v1.0'])(
    "goes to Microsoft Graph's host %s",
    async (base) => {
      expect(await authorizationSent(base, '/me')).toBe('Bearer s3cret')
    },
  )

  it('never goes to a foreign https host named by a SOURCE', async () => {
    expect(await authorizationSent('https://graph.attacker.example/v1.0', '/me')).toBeNull()
    expect(await authorizationSent('https://graph.microsoft.com.attacker.example/v1.0', '/me')).toBeNull()
  })

  it('goes to the https origin an administrator configured, and to no other', async () => {
    expect(await authorizationSent('https://graph.district.example/v1.0', '/me', staticToken('s3cret'), ['https://graph.district.example/v1.0'])).toBe('Bearer s3cret')
    expect(await authorizationSent('https://other.district.example/v1.0', '/me', staticToken('s3cret'), ['https://graph.district.example/v1.0'])).toBeNull()
  })

  it.each(['http://127.0.0.1:5170/graph/v1.0', 'http://localhost:5170/graph/v1.0', 'http://[::1]:5170/graph/v1.0'])(
    'goes to the local server on loopback %s',
    async (base) => {
      expect(await authorizationSent(base, '/me')).toBe('Bearer s3cret')
    },
  )

  it('never goes to plain http on another host', async () => {
    expect(await authorizationSent('http://graph.example.org/v1.0', '/me')).toBeNull()
  })

  it('never goes to a host other than the configured one', async () => {
    // The SDK treats an absolute https path as another host (GRAPH.md §10).
    expect(await authorizationSent('https://graph.microsoft.com/v1.0', 'https://evil.example.com/v1.0/me')).toBeNull()
  })

  it('is left out entirely when the provider has none', async () => {
    expect(await authorizationSent('http://127.0.0.1:5170/graph/v1.0', '/me', noToken)).toBeNull()
  })
})

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const closeServer = (server: Server) => new Promise<void>((done) => server.close(() => done()))

// WHATWG Fetch, RequestInit.redirect: "error" turns a redirect into a network error. Workbook calls
// never redirect (GRAPH.md §2), and following one would carry the token, session id and body elsewhere.
describe('redirects', () => {
  it('are refused: every request is sent with redirect "error"', async () => {
    const modes: (RequestRedirect | undefined)[] = []
    const transport = createGraphTransport({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      tokens: staticToken('s3cret'),
      clock: fakeClock(),
      fetch: async (_url, init) => {
        modes.push(init.redirect)
        return jsonResponse(200, {})
      },
    })
    await transport.send({ method: 'GET', path: '/me' })
    await transport.send({ method: 'POST', path: '/$batch', body: { requests: [] }, headers: { 'workbook-session-id': 's-1' } })
    expect(modes).toEqual(['error', 'error'])
  })

  it('are never followed to another host by the real fetch, and end as a network error', async () => {
    const elsewhere: string[] = []
    const target = await listen((request, response) => {
      elsewhere.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`)
      response.end('{}')
    })
    const redirecting = await listen((request, response) => {
      request.resume()
      response.writeHead(307, { Location: `${target.origin}${request.url ?? '/'}` })
      response.end()
    })
    try {
      const transport = createGraphTransport({ baseUrl: `${redirecting.origin}/v1.0`, tokens: staticToken('s3cret'), clock: fakeClock() })
      const reply = await transport.send({ method: 'POST', path: '/$batch', body: { requests: [] }, headers: { 'workbook-session-id': 's-1' } })
      expect(reply).toEqual({ ok: false, error: { kind: 'network' } })
      expect(elsewhere).toEqual([])
    } finally {
      await closeServer(redirecting.server)
      await closeServer(target.server)
    }
  })
})
