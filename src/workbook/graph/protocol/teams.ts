/**
 * A Teams activity feed notification to one person
 * (api-reference/v1.0/api/userteamwork-sendactivitynotification.md; concepts/teams-send-activityfeednotifications.md).
 * Pure: the Graph chain sends it.
 *
 * - `POST /users/{userId | user-principal-name}/teamwork/sendActivityNotification`, JSON; success is
 *   `204 No Content`. Delegated permission TeamsActivity.Send (src/auth/scopes.ts).
 * - `activityType: "systemDefault"`, the reserved type that needs no `activities` section in the app
 *   manifest; its text goes in the template parameter `systemDefaultText` (the concepts page,
 *   "Reserved activity types", Example 8).
 * - `topic.source: "text"` with a `value` and a `webUrl`, which "must start with the Microsoft Teams
 *   domain": a deep link to the app's personal tab, `https://teams.microsoft.com/l/entity/{appId}/{entityId}`
 *   with the page in `context.subEntityId` (the tab opens `#/{subPageId}`, src/tab/main.tsx) and the
 *   page's own address as the `webUrl` fallback.
 * - `chainId` (Int64): "Use the same chainId in subsequent requests to override the previous
 *   notification", so a notification sent again with its chainId replaces itself instead of showing
 *   twice: that is what makes it safe for the Graph chain to retry after 429/503/504.
 * - `previewText`: Teams shows its first 150 characters.
 * - The Teams app must be installed for the recipient, and a user cannot notify themselves (the
 *   concepts page, FAQ): both come back as a failure for that one recipient.
 */

export type ActivityNotification = {
  /** The recipient's user principal name (their email, in the workbook's People). */
  recipient: string
  /** The Actor+Reason line: "{signed-in person} {text}". */
  text: string
  previewText: string
  topic: { value: string; webUrl: string }
  chainId: number
}

export type ActivityNotificationRequest = {
  method: 'POST'
  path: string
  headers: { 'Content-Type': 'application/json' }
  body: {
    topic: { source: 'text'; value: string; webUrl: string }
    activityType: 'systemDefault'
    chainId: number
    previewText: { content: string }
    templateParameters: { name: 'systemDefaultText'; value: string }[]
  }
}

export const TEAMS_PREVIEW_CHARACTERS = 150
/** The personal tab's entityId in manifest/manifest.template.json. */
export const PERSONAL_TAB_ENTITY_ID = 'plan'

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

export function activityNotificationRequest(n: ActivityNotification): ActivityNotificationRequest {
  return {
    method: 'POST',
    path: `/users/${encodeURIComponent(n.recipient.trim())}/teamwork/sendActivityNotification`,
    headers: { 'Content-Type': 'application/json' },
    body: {
      topic: { source: 'text', value: n.topic.value, webUrl: n.topic.webUrl },
      activityType: 'systemDefault',
      chainId: n.chainId,
      previewText: { content: clip(n.previewText, TEAMS_PREVIEW_CHARACTERS) },
      templateParameters: [{ name: 'systemDefaultText', value: n.text }],
    },
  }
}

/**
 * A deep link to a page of the app's personal tab
 * (learn.microsoft.com microsoftteams/platform concepts/build-and-test/deep-link-application:
 * `https://teams.microsoft.com/l/entity/<appId>/<entityId>?webUrl=<entityWebUrl>&label=<entityLabel>&context=<context>`,
 * `context` a JSON object whose `subEntityId` the tab reads as `page.subPageId`).
 */
export function teamsTabDeepLink(o: { appId: string; entityId?: string; subEntityId: string; webUrl: string; label: string }): string {
  const query = [
    `webUrl=${encodeURIComponent(o.webUrl)}`,
    `label=${encodeURIComponent(o.label)}`,
    `context=${encodeURIComponent(JSON.stringify({ subEntityId: o.subEntityId }))}`,
  ].join('&')
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(o.appId)}/${encodeURIComponent(o.entityId ?? PERSONAL_TAB_ENTITY_ID)}?${query}`
}

/** Whether a topic webUrl is on the Microsoft Teams domain, as the concepts page requires. */
export function isTeamsUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && (parsed.hostname === 'teams.microsoft.com' || parsed.hostname.endsWith('.teams.microsoft.com') || parsed.hostname === 'teams.cloud.microsoft')
  } catch {
    return false
  }
}

/**
 * A chainId for one person's notification of one run: the same run and person always give the same
 * number (so a retry replaces), a positive integer JavaScript and Int64 both hold exactly.
 */
export function chainIdFor(runId: string, recipient: string): number {
  // FNV-1a over the text, in two 32-bit halves, kept to 52 bits.
  const text = `${runId}|${recipient.trim().toLowerCase()}`
  let a = 0x811c9dc5
  let b = 0x01000193
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0
  }
  return (a & 0xfffff) * 2 ** 32 + b + 1
}
