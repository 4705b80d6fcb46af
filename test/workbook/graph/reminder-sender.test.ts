import { describe, expect, it } from 'vitest'
import { staticToken } from '../../../src/auth/tokens.ts'
import { createGraphTransport } from '../../../src/workbook/graph/chain/transport.ts'
import type { Clock } from '../../../src/workbook/graph/chain/clock.ts'
import { createReminderSender, type ReminderMessage } from '../../../src/workbook/graph/reminder-sender.ts'
import { chainIdFor, teamsTabDeepLink } from '../../../src/workbook/graph/protocol/teams.ts'

/**
 * Update reminders through the Graph chain, against a stub HTTP client answering in the documented
 * shapes: sendMail's 202 (api-reference/v1.0/api/user-sendmail.md), sendActivityNotification's 204
 * and body (api-reference/v1.0/api/userteamwork-sendactivitynotification.md;
 * concepts/teams-send-activityfeednotifications.md), 429 with Retry-After and its error body
 * (concepts/throttling.md, "Sample response"), 403 ErrorAccessDenied
 * (concepts/auth-limit-mailbox-access.md, "Handling API errors"). Time is a fake clock.
 */

const MESSAGE: ReminderMessage = {
  to: { name: 'Adaeze Nwosu', email: 'adaeze.nwosu@riverbend.example' },
  subject: 'Riverbend updates for Adaeze Nwosu: 2 overdue (as of 2026-12-15)',
  html: '<!doctype html><html lang="en"><body><h1>Plan updates</h1></body></html>',
  text: 'Plan updates',
  link: 'https://plan.riverbend.example/pm-workbook/taskpane.html?as=adaeze.nwosu%40riverbend.example#/',
}
const OTHER: ReminderMessage = { ...MESSAGE, to: { name: 'Colin Ashdown', email: 'colin.ashdown@riverbend.example' } }

const THROTTLED = {
  error: {
    code: 'TooManyRequests',
    innerError: { code: '429', date: '2020-08-18T12:51:51', message: 'Please retry after', 'request-id': '94fb3b52-452a-4535-a601-69e0a90e3aa2', status: '429' },
    message: 'Please retry again later.',
  },
}
const ACCESS_DENIED = { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled.', innerError: { 'request-id': '2f038156-cf40-403d-8e46-831fe42a8229', date: '2019-05-24T10:16:21' } } }

type Seen = { method: string; url: string; headers: Headers; body: string; at: number }

function harness(answers: ((seen: Seen) => Response)[]) {
  let now = Date.parse('2026-12-15T08:00:00Z')
  const sleeps: number[] = []
  const clock: Clock = { now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) }
  const seen: Seen[] = []
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const request: Seen = { method: String(init.method), url, headers: new Headers(init.headers), body: typeof init.body === 'string' ? init.body : '', at: now }
    seen.push(request)
    const answer = answers.shift()
    if (!answer) throw new Error(`unexpected request ${url}`)
    return answer(request)
  }
  const transport = createGraphTransport({ baseUrl: 'https://graph.microsoft.com/v1.0', tokens: staticToken('token-1'), clock, fetch })
  return { transport, seen, sleeps }
}

const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => () =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } })

const mime = (body: string): string => Buffer.from(body, 'base64').toString('utf8')

describe('reminders by email: POST /me/sendMail', () => {
  it('posts the MIME message, base64, as text/plain with the bearer token; 202 Accepted is sent', async () => {
    const h = harness([reply(202)])
    const send = createReminderSender({ transport: h.transport, via: 'mail', runId: 'run-1' })
    expect(await send(MESSAGE)).toEqual({ ok: true, value: undefined })
    const [request] = h.seen
    expect(request).toMatchObject({ method: 'POST', url: 'https://graph.microsoft.com/v1.0/me/sendMail' })
    expect(request?.headers.get('content-type')).toBe('text/plain')
    expect(request?.headers.get('authorization')).toBe('Bearer token-1')
    expect(request?.body).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(mime(request?.body ?? '')).toContain('To: "Adaeze Nwosu" <adaeze.nwosu@riverbend.example>\r\n')
    expect(mime(request?.body ?? '')).toContain('Content-Type: multipart/alternative;')
  })

  it('reports a 429 for that recipient without sending it again (a mail sent twice arrives twice), and holds the next one for Retry-After', async () => {
    const h = harness([reply(429, THROTTLED, { 'Retry-After': '10' }), reply(202)])
    const send = createReminderSender({ transport: h.transport, via: 'mail', runId: 'run-1' })
    expect(await send(MESSAGE)).toEqual({ ok: false, error: { status: 429, code: 'TooManyRequests', message: 'Please retry again later.', retryAfterSeconds: 10 } })
    expect(h.seen).toHaveLength(1)
    expect(await send(OTHER)).toEqual({ ok: true, value: undefined })
    expect(h.sleeps).toEqual([10_000])
    expect((h.seen[1]?.at ?? 0) - (h.seen[0]?.at ?? 0)).toBe(10_000)
  })

  it('reports 403 ErrorAccessDenied with the code and message Graph sent', async () => {
    const h = harness([reply(403, ACCESS_DENIED)])
    const send = createReminderSender({ transport: h.transport, via: 'mail', runId: 'run-1' })
    expect(await send(MESSAGE)).toEqual({ ok: false, error: { status: 403, code: 'ErrorAccessDenied', message: 'Access to OData is disabled.', retryAfterSeconds: null } })
  })

  it('reports a dropped connection as no answer, and sends no mail to an address that is not one', async () => {
    const h = harness([
      () => {
        throw new TypeError('fetch failed')
      },
    ])
    const send = createReminderSender({ transport: h.transport, via: 'mail', runId: 'run-1' })
    expect(await send(MESSAGE)).toMatchObject({ ok: false, error: { status: null, error: { kind: 'network' } } })
    expect(h.seen).toHaveLength(1)
    expect(await send({ ...MESSAGE, to: { name: 'x', email: 'a@b.org>\r\nBcc: c@d.org' } })).toMatchObject({ ok: false, error: { status: null, message: expect.stringMatching(/not an email address/) } })
    expect(h.seen).toHaveLength(1)
  })
})

describe('reminders in Teams: POST /users/{upn}/teamwork/sendActivityNotification', () => {
  it('sends the documented body: a text topic deep-linking to the tab, systemDefault with its text, a preview, a chainId; 204 is sent', async () => {
    const h = harness([reply(204)])
    const send = createReminderSender({ transport: h.transport, via: 'teams', runId: 'run-1', teamsAppId: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', topic: 'Riverbend plan' })
    expect(await send(MESSAGE)).toEqual({ ok: true, value: undefined })
    const [request] = h.seen
    expect(request?.url).toBe('https://graph.microsoft.com/v1.0/users/adaeze.nwosu%40riverbend.example/teamwork/sendActivityNotification')
    expect(request?.headers.get('content-type')).toBe('application/json')
    expect(JSON.parse(request?.body ?? '')).toEqual({
      topic: {
        source: 'text',
        value: 'Riverbend plan',
        webUrl: teamsTabDeepLink({ appId: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', subEntityId: 'people', webUrl: MESSAGE.link, label: 'Your plan steps' }),
      },
      activityType: 'systemDefault',
      chainId: chainIdFor('run-1', MESSAGE.to.email),
      previewText: { content: MESSAGE.subject },
      templateParameters: [{ name: 'systemDefaultText', value: `has plan updates for you: ${MESSAGE.subject}` }],
    })
    const link = new URL(JSON.parse(request?.body ?? '').topic.webUrl)
    expect(`${link.origin}${link.pathname}`).toBe('https://teams.microsoft.com/l/entity/5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/plan')
    expect(link.searchParams.get('webUrl')).toBe(MESSAGE.link)
    expect(JSON.parse(link.searchParams.get('context') ?? '')).toEqual({ subEntityId: 'people' })
  })

  it('retries a 429 after Retry-After with the same chainId, which replaces rather than repeats a notification', async () => {
    const h = harness([reply(429, THROTTLED, { 'Retry-After': '2' }), reply(204)])
    const send = createReminderSender({ transport: h.transport, via: 'teams', runId: 'run-1', teamsAppId: 'app' })
    expect(await send(MESSAGE)).toEqual({ ok: true, value: undefined })
    expect(h.seen).toHaveLength(2)
    expect(h.seen[1]?.body).toBe(h.seen[0]?.body)
    expect(h.sleeps).toEqual([2000])
  })

  it('gives each run and recipient its own chainId, a whole number Int64 and JavaScript both hold', () => {
    const ids = [chainIdFor('run-1', 'a@x.org'), chainIdFor('run-1', 'A@X.org '), chainIdFor('run-1', 'b@x.org'), chainIdFor('run-2', 'a@x.org')]
    expect(ids[0]).toBe(ids[1])
    expect(new Set(ids).size).toBe(3)
    for (const id of ids) expect(Number.isSafeInteger(id) && id > 0).toBe(true)
  })
})
