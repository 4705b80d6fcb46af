import { describe, expect, it } from 'vitest'
import { mimeMessage, sendMailOutcome, sendMailRequest, type MailMessage } from '../../../src/workbook/graph/protocol/mail.ts'

const MESSAGE: MailMessage = {
  to: { name: 'Ana Díaz', email: 'ana@d.org' },
  subject: 'Plan updates: 1 overdue (as of 2026-11-24)',
  html: '<!doctype html>\n<html lang="en"><body><p>Überfällig &lt;script&gt;</p></body></html>',
  text: 'Überfällig <script>',
}

const fromBase64 = (b64: string): string => new TextDecoder().decode(Uint8Array.from(atob(b64.replace(/\r\n/g, '')), (c) => c.charCodeAt(0)))

/** The parts of a multipart message: their headers and decoded content. */
function parts(mime: string, boundary: string): { type: string; content: string }[] {
  return mime
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((raw) => {
      const [head = '', body = ''] = raw.replace(/^\r\n/, '').split('\r\n\r\n')
      return { type: /Content-Type: ([^;\r\n]+)/.exec(head)?.[1] ?? '', content: fromBase64(body) }
    })
}

describe('sendMailRequest (user-sendmail.md, MIME format)', () => {
  it('posts the base64 MIME message to /me/sendMail as text/plain', () => {
    const request = sendMailRequest(MESSAGE, 'b1')
    expect(request).toMatchObject({ method: 'POST', path: '/me/sendMail', headers: { 'Content-Type': 'text/plain' } })
    expect(request.body).toMatch(/^[A-Za-z0-9+/]+=*$/)
    expect(fromBase64(request.body)).toBe(mimeMessage(MESSAGE, 'b1'))
  })

  it('is multipart/alternative: the plain text, then the HTML, each as written (UTF-8)', () => {
    const mime = mimeMessage(MESSAGE, 'b1')
    expect(mime).toContain('MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="b1"\r\n')
    expect(parts(mime, 'b1')).toEqual([
      { type: 'text/plain', content: MESSAGE.text },
      { type: 'text/html', content: MESSAGE.html },
    ])
  })

  it('encodes a name and subject outside ASCII, quotes a plain name, and never lets a value add a header', () => {
    const mime = mimeMessage({ ...MESSAGE, to: { name: 'Ana Díaz', email: 'ana@d.org' }, subject: 'Café\r\nBcc: x@evil.example' }, 'b1')
    const headers = mime.split('\r\n\r\n')[0] ?? ''
    expect(headers).toContain(`To: =?UTF-8?B?${btoa('Ana D\u00c3\u00adaz')}?= <ana@d.org>`)
    expect(headers).not.toMatch(/^Bcc:/m)
    expect(mimeMessage({ ...MESSAGE, to: { name: 'O"Brien', email: 'ob@d.org' } }, 'b1')).toContain('To: "O\\"Brien" <ob@d.org>\r\n')
    expect(() => mimeMessage({ ...MESSAGE, to: { name: 'x', email: 'a@b.org>\r\nBcc: c@d.org' } }, 'b1')).toThrow(/not an email address/)
  })
})

describe('sendMailOutcome', () => {
  it('202 Accepted with no body is sent', () => {
    expect(sendMailOutcome(202, undefined)).toEqual({ ok: true, value: undefined })
  })

  it.each([
    [400, { error: { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.' } }, { code: 'ErrorInvalidRecipients', message: 'At least one recipient is not valid.', retryable: false }],
    [403, { error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' } }, { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.', retryable: false }],
    [429, { error: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' } }, { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.', retryable: true }],
    [503, 'Service Unavailable', { code: null, message: 'HTTP 503', retryable: true }],
  ])('%i is a failure for that recipient, with Graph’s code and message', (status, body, failure) => {
    expect(sendMailOutcome(status, body)).toEqual({ ok: false, error: { status, ...failure } })
  })
})
