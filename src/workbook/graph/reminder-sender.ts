import { err, ok, type Result } from '../../domain/result.ts'
import { isRecord } from '../../domain/records.ts'
import type { StoreError } from '../store.ts'
import type { GraphReply, GraphTransport } from './chain/transport.ts'
import { retryAfterMs } from './protocol/errors.ts'
import { sendMailRequest } from './protocol/mail.ts'
import { activityNotificationRequest, chainIdFor, teamsTabDeepLink } from './protocol/teams.ts'

/**
 * Update reminders through Microsoft Graph (or the local server, which answers the same routes):
 * one request per recipient, through the same transport and chain as every workbook call
 * (bearer, throttling cooldown, timeout). Each message is its own request rather than a `$batch`
 * sub-request, so a failure is that one recipient's and the next still goes.
 *
 * Repeating follows the chain's rule (GRAPH.md §6: a throttled request may still have done the
 * work, so only repeat-safe requests are retried):
 * - mail (`POST /me/sendMail`) is not repeat-safe: a mail sent twice arrives twice. A 429 or 503
 *   is reported for that recipient (the Reminders table does not record it, so the next run sends
 *   it), and its Retry-After holds back the requests after it (chain/cooldown.ts);
 * - a Teams notification carries a `chainId`, and one sent again with the same chainId replaces
 *   itself (protocol/teams.ts), so the chain retries it after Retry-After like a read.
 */

/** What a reminder is, structurally the app's OutgoingReminder (src/app/reminders.ts). */
export type ReminderMessage = { to: { name: string; email: string }; subject: string; html: string; text: string; link: string }

/** Structurally the app's SendFailure: Graph's answer, or (`error`) why none came. */
export type GraphSendFailure = { status: number | null; code: string | null; message: string; retryAfterSeconds: number | null; error?: StoreError }

export type ReminderSenderOptions = {
  transport: GraphTransport
  via: 'mail' | 'teams'
  /** The run's ChangeId: with the recipient, it makes each Teams notification's chainId. */
  runId: string
  /** The Teams app's id (the manifest's `id`, `appId` in pm-workbook.config.json), for the deep link of a notification. */
  teamsAppId?: string
  /** The district's name, the notification's topic ("Riverbend USD strategic plan"). */
  topic?: string
}

/** Graph's error body `{error:{code,message}}` (concepts/errors.md), as sent; the status when there is none. */
export function sendFailure(reply: GraphReply, now: number): GraphSendFailure {
  const error = isRecord(reply.body) && isRecord(reply.body.error) ? reply.body.error : null
  const code = error !== null && typeof error.code === 'string' && error.code !== '' ? error.code : null
  const message = error !== null && typeof error.message === 'string' && error.message !== '' ? error.message : `HTTP ${reply.status}`
  const wait = retryAfterMs(reply.headers.get('Retry-After'), now)
  return { status: reply.status, code, message, retryAfterSeconds: wait === null ? null : Math.ceil(wait / 1000) }
}

const noAnswer = (error: StoreError): GraphSendFailure => ({
  status: null,
  code: null,
  message: '',
  retryAfterSeconds: error.kind === 'throttled' ? error.retryAfterSeconds : null,
  error,
})

export function createReminderSender(options: ReminderSenderOptions): (message: ReminderMessage) => Promise<Result<void, GraphSendFailure>> {
  const { transport } = options
  const settle = (sent: Result<GraphReply, StoreError>, success: number): Result<void, GraphSendFailure> => {
    if (!sent.ok) return err(noAnswer(sent.error))
    return sent.value.status === success ? ok(undefined) : err(sendFailure(sent.value, transport.clock.now()))
  }

  if (options.via === 'mail') {
    // user-sendmail.md: 202 Accepted (accepted, not yet delivered).
    return async (message) => {
      let request: ReturnType<typeof sendMailRequest>
      try {
        request = sendMailRequest(message)
      } catch (e) {
        return err({ status: null, code: null, message: e instanceof Error ? e.message : String(e), retryAfterSeconds: null })
      }
      return settle(await transport.send({ method: request.method, path: request.path, headers: request.headers, text: request.body, repeatSafe: false }), 202)
    }
  }

  // userteamwork-sendactivitynotification.md: 204 No Content.
  return async (message) => {
    const request = activityNotificationRequest({
      recipient: message.to.email,
      text: `has plan updates for you: ${message.subject}`,
      previewText: message.subject,
      topic: {
        value: options.topic ?? 'Strategic plan',
        webUrl: teamsTabDeepLink({ appId: options.teamsAppId ?? LOCAL_TEAMS_APP_ID, subEntityId: 'people', webUrl: message.link, label: 'Your plan steps' }),
      },
      chainId: chainIdFor(options.runId, message.to.email),
    })
    return settle(await transport.send({ method: request.method, path: request.path, headers: request.headers, body: request.body, repeatSafe: true }), 204)
  }
}

/**
 * The app id in a deep link when none is configured: the local server takes any, and shows the
 * link's `webUrl` (the page itself). Microsoft Teams needs the real one (the CLI insists on it).
 */
export const LOCAL_TEAMS_APP_ID = '00000000-0000-0000-0000-000000000000'
