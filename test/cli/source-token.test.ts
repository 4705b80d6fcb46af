import { describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/cli/io.ts'
import { openSource } from '../../src/cli/source.ts'

/**
 * GRAPH.md §10 and the developers' guide: the bearer token goes to Microsoft Graph's hosts,
 * loopback and PMW_GRAPH_BASE_URL only. A SOURCE is often a link someone else pasted; its host
 * must never receive the token. Shown with an injected fetch: no traffic leaves the machine.
 */
function capturingIo(env: Record<string, string>): { io: CliIo; sent: { url: string; authorization: string | null }[] } {
  const sent: { url: string; authorization: string | null }[] = []
  const io: CliIo = {
    out: () => undefined,
    err: () => undefined,
    env,
    now: () => new Date('2026-11-24T09:00:00Z'),
    cwd: process.cwd(),
    fetch: async (url, init) => {
      sent.push({ url, authorization: new Headers(init.headers).get('Authorization') })
      return new Response(JSON.stringify({ error: { code: 'itemNotFound', message: 'x' } }), { status: 404, headers: { 'Content-Type': 'application/json' } })
    },
  }
  return { io, sent }
}

describe('which host gets the token', () => {
  it('a SOURCE on a foreign https host gets no token', async () => {
    const { io, sent } = capturingIo({ PMW_GRAPH_TOKEN: 'tok-123' })
    const store = await openSource('https://graph.attacker.example/v1.0/me/drive/items/01ABC', io)
    await store.read(['WIGs'])
    expect(sent.map((s) => new URL(s.url).host)).toEqual(['graph.attacker.example'])
    expect(sent.every((s) => s.authorization === null)).toBe(true)
  })

  it('a SOURCE on Microsoft Graph gets the token', async () => {
    const { io, sent } = capturingIo({ PMW_GRAPH_TOKEN: 'tok-123' })
    const store = await openSource('https://graph.microsoft.com/v1.0/me/drive/items/01ABC', io)
    await store.read(['WIGs'])
    expect(sent.map((s) => s.authorization)).toEqual(['Bearer tok-123'])
  })

  it('a SOURCE on the configured PMW_GRAPH_BASE_URL gets the token, another host on the same link does not', async () => {
    const { io, sent } = capturingIo({ PMW_GRAPH_TOKEN: 'tok-123', PMW_GRAPH_BASE_URL: 'https://graph.district.example/v1.0' })
    await (await openSource('https://graph.district.example/v1.0/me/drive/items/01ABC', io)).read(['WIGs'])
    await (await openSource('https://files.district.example/v1.0/me/drive/items/01ABC', io)).read(['WIGs'])
    expect(sent.map((s) => [new URL(s.url).host, s.authorization])).toEqual([
      ['graph.district.example', 'Bearer tok-123'],
      ['files.district.example', null],
    ])
  })
})
