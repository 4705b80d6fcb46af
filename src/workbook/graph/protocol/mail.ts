import { isRecord } from '../../../domain/records.ts'
import { ok, err, type Result } from '../../../domain/result.ts'

/**
 * `POST /me/sendMail` (api-reference/v1.0/api/user-sendmail.md; delegated permission Mail.Send):
 * the request for one message, and what its answer means. Pure: the Graph chain sends it.
 *
 * The body is MIME (Content-Type: text/plain, the MIME message base64-encoded, as "Send
 * messages with MIME content" describes), because only MIME carries a plain-text part beside the
 * HTML one: the JSON `message.body` holds one content type. The message is multipart/alternative,
 * text first then HTML (RFC 2046: the last part is the richest), each part base64 UTF-8; the
 * subject and display name are RFC 2047 encoded words. Success is 202 Accepted with no body; it
 * means accepted, not delivered (Exchange may still throttle or bounce).
 */

export type MailMessage = { to: { name: string; email: string }; subject: string; html: string; text: string }

export type SendMailRequest = { method: 'POST'; path: '/me/sendMail'; headers: { 'Content-Type': 'text/plain' }; body: string }

export type SendMailFailure = {
  status: number
  /** The Graph error code (`{error:{code}}`), as sent; null when the body had none. */
  code: string | null
  message: string
  /** 429, 503 and 504: worth another try after Retry-After; a 4xx about the message is not. */
  retryable: boolean
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** Base64 wrapped at 76 characters, as MIME bodies are (RFC 2045 §6.8). */
const wrapped = (base64: string): string => base64.replace(/.{1,76}/g, (line) => `${line}\r\n`)

/** An RFC 2047 encoded word when the text is not plain printable ASCII; else the text. */
function headerText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ')
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${utf8Base64(clean)}?=`
}

/** A display name as a quoted string (or encoded word) and the address, which must be plain. */
function mailbox(to: MailMessage['to']): string {
  const address = to.email.trim()
  if (!/^[^\s<>@"]+@[^\s<>@"]+$/.test(address)) throw new Error(`not an email address: ${JSON.stringify(to.email)}`)
  const name = to.name.replace(/[\r\n]+/g, ' ').trim()
  if (name === '') return `<${address}>`
  const display = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"` : headerText(name)
  return `${display} <${address}>`
}

/** The MIME message, before base64: headers, then a text and an HTML part. `boundary` is fixed in tests. */
export function mimeMessage(message: MailMessage, boundary: string): string {
  const part = (type: string, content: string): string =>
    [`--${boundary}`, `Content-Type: ${type}; charset=UTF-8`, 'Content-Transfer-Encoding: base64', '', wrapped(utf8Base64(content))].join('\r\n')
  return [
    `To: ${mailbox(message.to)}`,
    `Subject: ${headerText(message.subject)}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${boundary}--`,
    '',
  ].join('\r\n')
}

export function sendMailRequest(message: MailMessage, boundary = `pmw-${Math.random().toString(36).slice(2)}`): SendMailRequest {
  return { method: 'POST', path: '/me/sendMail', headers: { 'Content-Type': 'text/plain' }, body: utf8Base64(mimeMessage(message, boundary)) }
}

/** 202 is sent; anything else is a failure for this one recipient, with Graph's code and message when the body has them. */
export function sendMailOutcome(status: number, body: unknown): Result<void, SendMailFailure> {
  if (status === 202) return ok(undefined)
  const error = isRecord(body) && isRecord(body.error) ? body.error : null
  const code = error !== null && typeof error.code === 'string' && error.code !== '' ? error.code : null
  const message = error !== null && typeof error.message === 'string' && error.message !== '' ? error.message : `HTTP ${status}`
  return err({ status, code, message, retryable: status === 429 || status === 503 || status === 504 })
}
