import { describe, expect, it } from 'vitest'
import { noToken, staticToken, type TokenProvider } from '../../../src/auth/tokens.ts'
import { createGraphTransport } from '../../../src/workbook/graph/transport.ts'
import { fakeClock, jsonResponse } from './fake-graph.ts'

async function authorizationSent(baseUrl: string, path: string, tokens: TokenProvider = staticToken('s3cret')): Promise<string | null> {
  let seen: string | null = 'not sent'
  const transport = createGraphTransport({
    baseUrl,
    tokens,
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

// GRAPH.md §10: the SDK's AuthenticationHandler drops the token for non-Graph hosts; ours sends it
// only to the configured host, over https or to loopback.
describe('bearer token', () => {
  it('goes to the configured https host', async () => {
    expect(await authorizationSent('https://graph.microsoft.com/v1.0', '/me')).toBe('Bearer s3cret')
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
