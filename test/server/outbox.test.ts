import { request } from 'node:http'
import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import { systemClock } from '../../src/workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../../src/workbook/graph/chain/transport.ts'
import { sendMailRequest } from '../../src/workbook/graph/protocol/mail.ts'
import { createReminderSender } from '../../src/workbook/graph/reminder-sender.ts'
import { startHarness, type Harness } from './harness.ts'

/**
 * The local server's sending routes and its outbox (like a mail catcher): what
 * `POST /me/sendMail` (api-reference/v1.0/api/user-sendmail.md: JSON or base64 MIME as text/plain,
 * 202 Accepted, 400 ErrorMimeContentInvalidBase64String) and
 * `POST /users/{upn}/teamwork/sendActivityNotification`
 * (api-reference/v1.0/api/userteamwork-sendactivitynotification.md: 204; a text topic's webUrl on
 * the Teams domain, concepts/teams-send-activityfeednotifications.md) accept, kept in `outbox/`
 * beside the workbook and shown at /outbox, escaped, under the server's Host and Origin rules.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h.close()
})

const graph = (path: string) => `${h.server.graphBaseUrl}${path}`
const page = async (path: string) => {
  const response = await fetch(`${h.server.origin}${path}`)
  return { status: response.status, headers: response.headers, body: await response.text() }
}

const SCRIPT = '<script>alert(1)</script>'

describe('the local server’s sending routes', () => {
  it('accepts the MIME message the product sends (202, no body) and shows it in the outbox, every value escaped', async () => {
    const sender = createReminderSender({ transport: createGraphTransport({ baseUrl: h.server.graphBaseUrl, tokens: noToken, clock: systemClock }), via: 'mail', runId: 'run-1' })
    const html = `<!doctype html><html lang="en"><head><title>x</title></head><body><p>Note: &lt;script&gt;alert(1)&lt;/script&gt;</p><script>document.title='ran'</script></body></html>`
    const sent = await sender({ to: { name: 'Ana "A" Díaz', email: 'ana@district.org' }, subject: `Überfällig ${SCRIPT}`, html, text: `Note: ${SCRIPT}`, link: 'http://127.0.0.1/taskpane.html' })
    expect(sent).toEqual({ ok: true, value: undefined })

    const files = await readdir(h.server.outboxDir)
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(1)
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1)

    const index = await page('/outbox')
    expect(index.status).toBe(200)
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(index.body).toContain('<html lang="en">')
    expect(index.body).toContain('Ana &quot;A&quot; Díaz &lt;ana@district.org&gt;')
    expect(index.body).toContain('Überfällig &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(index.body).not.toContain(SCRIPT)
    const id = /href="\/outbox\/([^"]+)"/.exec(index.body)?.[1] ?? ''

    const message = await page(`/outbox/${id}`)
    expect(message.status).toBe(200)
    expect(message.body).toContain(`<pre>Note: &lt;script&gt;alert(1)&lt;/script&gt;</pre>`)
    expect(message.body).toContain(`<iframe sandbox title="The message as HTML" src="/outbox/${id}/html"></iframe>`)
    expect(message.body).not.toContain(SCRIPT)

    // The message's own HTML as sent, under a CSP that runs no script of it.
    const body = await page(`/outbox/${id}/html`)
    expect(body.body).toBe(html)
    expect(body.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/)
    expect((await page('/outbox/nothing-here')).status).toBe(404)
  })

  it('accepts the JSON format too, and refuses MIME that is not base64 as the docs say', async () => {
    const json = await fetch(graph('/me/sendMail'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: { subject: 'Meet for lunch?', body: { contentType: 'Text', content: 'The new cafeteria is open.' }, toRecipients: [{ emailAddress: { address: 'frannis@contoso.com' } }] }, saveToSentItems: 'false' }),
    })
    expect(json.status).toBe(202)
    expect(await json.text()).toBe('')

    const bad = await fetch(graph('/me/sendMail'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'not base64 at all!' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { code: 'ErrorMimeContentInvalidBase64String', message: 'Invalid base64 string for MIME content.' } })

    const index = await page('/outbox')
    expect(index.body).toContain('Meet for lunch?')
    expect(index.body).toContain('frannis@contoso.com')
  })

  it('accepts a Teams notification (204) and shows its link and the page it opens; a topic link off the Teams domain is refused', async () => {
    const sender = createReminderSender({ transport: createGraphTransport({ baseUrl: h.server.graphBaseUrl, tokens: noToken, clock: systemClock }), via: 'teams', runId: 'run-1', teamsAppId: 'app-1' })
    const link = 'http://127.0.0.1:5170/taskpane.html?as=ben%40district.org#/'
    expect(await sender({ to: { name: 'Ben', email: 'ben@district.org' }, subject: '1 overdue (as of 2026-12-15)', html: '', text: '', link })).toEqual({ ok: true, value: undefined })
    const index = await page('/outbox')
    const id = /href="\/outbox\/([^"]+teams)"/.exec(index.body)?.[1] ?? ''
    const message = await page(`/outbox/${id}`)
    expect(message.body).toContain('https://teams.microsoft.com/l/entity/app-1/plan?')
    expect(message.body).toContain(`<a href="${link.replace(/&/g, '&amp;')}">`)

    const offDomain = await fetch(graph('/users/ben%40district.org/teamwork/sendActivityNotification'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ topic: { source: 'text', value: 'x', webUrl: 'https://evil.example/' }, activityType: 'systemDefault', previewText: { content: 'x' } }),
    })
    expect(offDomain.status).toBe(400)
  })

  it('keeps the outbox behind the same Host and Origin rules as everything else', async () => {
    const port = new URL(h.server.origin).port
    const status = (headers: Record<string, string>, method = 'GET', path = '/outbox') =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end(method === 'POST' ? sendMailRequest({ to: { name: '', email: 'x@d.org' }, subject: 's', html: '', text: 't' }).body : undefined)
      })
    expect(await status({ host: 'evil.example' })).toBe(403)
    expect(await status({ host: `localhost:${port}`, origin: 'https://evil.example' })).toBe(403)
    expect(await status({ host: `127.0.0.1:${port}`, origin: 'https://evil.example', 'content-type': 'text/plain' }, 'POST', '/graph/v1.0/me/sendMail')).toBe(403)
    expect(await status({ host: `127.0.0.1:${port}` })).toBe(200)
  })
})
