import { err, ok, type Result } from '../../domain/result.ts'
import { isRecord } from '../../domain/records.ts'
import { badRequest, mimeContentInvalidBase64, type GraphError } from '../errors.ts'
import { empty, type GraphRequest, type GraphResponse } from '../protocol/messages.ts'
import { decodeBase64, isBase64, parseAddresses, parseMime, type MailAddress } from '../protocol/mime.ts'
import type { Outbox } from '../persistence/outbox.ts'

/**
 * The two sending routes of update reminders, answered into the outbox instead of Microsoft 365
 * (DIFFERENCES.md lists what differs):
 * - `POST /me/sendMail` (api-reference/v1.0/api/user-sendmail.md): JSON (`message` with
 *   `subject`, `body`, `toRecipients`) or MIME (Content-Type text/plain, base64); 202 Accepted with
 *   no body; malformed base64 gives 400 ErrorMimeContentInvalidBase64String, as documented.
 * - `POST /users/{id}/teamwork/sendActivityNotification`
 *   (api-reference/v1.0/api/userteamwork-sendactivitynotification.md): 204 No Content. A `text`
 *   topic needs a `webUrl` on the Microsoft Teams domain (concepts/teams-send-activityfeednotifications.md).
 */

type Reply = Result<GraphResponse, GraphError>

const isJson = (request: GraphRequest): boolean => !/^text\/plain/i.test(request.headers['content-type'] ?? '')

function recipients(value: unknown): MailAddress[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((r) => {
    const address = isRecord(r) && isRecord(r.emailAddress) ? r.emailAddress : null
    return address !== null && typeof address.address === 'string' ? [{ name: typeof address.name === 'string' ? address.name : '', email: address.address }] : []
  })
}

export async function sendMailCall(outbox: Outbox, request: GraphRequest): Promise<Reply> {
  if (!isJson(request)) {
    const body = typeof request.body === 'string' ? request.body : ''
    if (!isBase64(body)) return err(mimeContentInvalidBase64())
    const raw = decodeBase64(body)
    const mail = parseMime(raw)
    if (mail.to.length + mail.cc.length === 0) return err(badRequest('The message has no recipient (no To or Cc header).'))
    await outbox.add({ kind: 'mail', to: [...mail.to, ...mail.cc], subject: mail.subject, text: mail.text ?? '', html: mail.html, link: null, pageUrl: null }, Buffer.from(raw).toString('utf8'))
    return ok(empty(202))
  }
  const message = isRecord(request.body) && isRecord(request.body.message) ? request.body.message : null
  if (message === null) return err(badRequest('The request body needs a message.'))
  const to = [...recipients(message.toRecipients), ...recipients(message.ccRecipients), ...recipients(message.bccRecipients)]
  if (to.length === 0) return err(badRequest('The message has no recipient (toRecipients, ccRecipients or bccRecipients).'))
  const body = isRecord(message.body) ? message.body : {}
  const content = typeof body.content === 'string' ? body.content : ''
  const html = typeof body.contentType === 'string' && body.contentType.toLowerCase() === 'html'
  await outbox.add({ kind: 'mail', to, subject: typeof message.subject === 'string' ? message.subject : '', text: html ? '' : content, html: html ? content : null, link: null, pageUrl: null })
  return ok(empty(202))
}

function isTeamsUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && (parsed.hostname === 'teams.microsoft.com' || parsed.hostname.endsWith('.teams.microsoft.com') || parsed.hostname === 'teams.cloud.microsoft')
  } catch {
    return false
  }
}

export async function activityNotificationCall(outbox: Outbox, user: string, request: GraphRequest): Promise<Reply> {
  const body = isRecord(request.body) ? request.body : null
  if (body === null) return err(badRequest('The request body must be a JSON object.'))
  const topic = isRecord(body.topic) ? body.topic : null
  if (topic === null || typeof topic.value !== 'string') return err(badRequest('topic, with a value, is required.'))
  if (topic.source !== 'text') return err(badRequest('Only a topic with source "text" is served here (DIFFERENCES.md).'))
  if (typeof topic.webUrl !== 'string' || !isTeamsUrl(topic.webUrl)) return err(badRequest('A text topic needs a webUrl that starts with the Microsoft Teams domain.'))
  if (typeof body.activityType !== 'string' || body.activityType === '') return err(badRequest('activityType is required.'))
  const preview = isRecord(body.previewText) && typeof body.previewText.content === 'string' ? body.previewText.content : null
  if (preview === null) return err(badRequest('previewText, with content, is required.'))
  const params = Array.isArray(body.templateParameters) ? body.templateParameters : []
  const text = params.flatMap((p) => (isRecord(p) && typeof p.value === 'string' ? [p.value] : [])).join(' ')
  let pageUrl: string | null = null
  try {
    pageUrl = new URL(topic.webUrl).searchParams.get('webUrl')
  } catch {
    pageUrl = null
  }
  const to = parseAddresses(user)
  await outbox.add({ kind: 'teams', to, subject: preview, text, html: null, link: topic.webUrl, pageUrl })
  return ok(empty(204))
}
