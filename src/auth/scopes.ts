/**
 * The delegated Microsoft Graph permission a district grants pm-workbook: one per deployment, chosen
 * in the package configuration (`permission`), and the only scope the pages ever request.
 *
 * Every workbook call (`createSession`, table rows, ranges, `$batch`) is a delegated call whose least
 * privileged permission is Files.ReadWrite, with no higher one listed
 * (microsoft-graph-docs-contrib `api-reference/v1.0/includes/permissions/workbook-createsession-permissions.md`);
 * resolving a sharing link through `/shares` also needs at least Files.ReadWrite
 * (`api-reference/v1.0/api/shares-get.md`). What differs is whose files the token reaches:
 *
 * - `Files.ReadWrite`: "the signed-in user's files" only (learn.microsoft.com
 *   `onedrive/developer/rest-api/concepts/permissions_reference`, no admin consent). Enough when the
 *   plan workbook lives in the signed-in person's own OneDrive: a planner working alone.
 * - `Files.ReadWrite.All` (the default): "all files the signed-in user can access", still no admin
 *   consent, and never more than the person could open in Excel anyway. A plan workbook is shared:
 *   it sits in a SharePoint library or a Teams channel's files, or in a leader's OneDrive shared
 *   with staff, and for every other person that is not "their" file, so Files.ReadWrite would not
 *   reach it (GRAPH.md §8, §12: docs conflict on SharePoint, so this is the documented safe choice).
 * - `Sites.Selected` (delegated): nothing at all until an administrator grants the app a role on one
 *   site with `POST /sites/{site-id}/permissions` (that call needs Sites.FullControl.All); access is
 *   then the grant intersected with the person's own rights (microsoft-graph-docs-contrib
 *   `concepts/permissions-selected-overview.md`). The least privilege for a SharePoint workbook,
 *   at the cost of admin consent and one grant per site.
 *
 * `Sites.ReadWrite.All` and the Files.*.Selected (file handler) scopes are never requested.
 */
export type GraphPermission = 'Files.ReadWrite' | 'Files.ReadWrite.All' | 'Sites.Selected'

export const GRAPH_PERMISSIONS: readonly GraphPermission[] = ['Files.ReadWrite', 'Files.ReadWrite.All', 'Sites.Selected']

export const DEFAULT_PERMISSION: GraphPermission = 'Files.ReadWrite.All'

/** Why each permission, in a sentence an administrator reads (README, `npm run package`). */
export const PERMISSION_REASONS: Readonly<Record<GraphPermission, string>> = {
  'Files.ReadWrite': "the signed-in person's own OneDrive files only; no admin consent needed",
  'Files.ReadWrite.All': 'files the signed-in person can already open (SharePoint, Teams, shared OneDrive); no admin consent needed',
  'Sites.Selected': 'only the SharePoint sites an administrator grants the app, and there only what the person may do; needs admin consent and a grant per site',
}

export function parsePermission(value: unknown): GraphPermission | null {
  return GRAPH_PERMISSIONS.find((p) => p === value) ?? null
}

/**
 * The scopes of every token request, in this order. The Teams manifest's
 * `webApplicationInfo.nestedAppAuthInfo[].scopes` must repeat them exactly, in the same order, or
 * the host cannot serve its prefetched token (learn.microsoft.com
 * `microsoft-365/extensibility/schema/root-web-application-info-nested-app-auth-info`).
 * MSAL adds `openid`, `profile` and `offline_access` itself; a request needs at least one scope
 * beyond those (office-js-docs-pr `docs/develop/enable-nested-app-authentication-in-your-add-in.md`).
 */
export function graphScopes(permission: GraphPermission): readonly string[] {
  return [permission]
}

/**
 * Update reminders (issue 15) are sent as the signed-in person, so sending needs one more delegated
 * permission. It is requested only when someone sends reminders (the tab's Send, after its
 * preview), never at sign-in, so people who only read the plan are never asked for it:
 *
 * - `mail`: **Mail.Send**, for `POST /me/sendMail` (microsoft-graph-docs-contrib
 *   `api-reference/v1.0/api/user-sendmail.md`): the message goes from the sender's own mailbox and
 *   is saved in their Sent Items. A delegated permission people may consent to themselves; where
 *   user consent is off, an administrator grants it once for the district.
 * - `teams`: **TeamsActivity.Send**, for `POST /users/{id}/teamwork/sendActivityNotification`
 *   (`api-reference/v1.0/api/userteamwork-sendactivitynotification.md`): "Send a teamwork activity
 *   as the user", consent type User. Teams also requires the app's Entra ID in the manifest's
 *   `webApplicationInfo` (it is, for sign-in) and the Teams app installed for each recipient
 *   (`concepts/teams-send-activityfeednotifications.md`): an administrator installs it for staff with
 *   a Teams app setup policy.
 *
 * With nested app authentication these extra scopes are not in the manifest's `nestedAppAuthInfo`
 * (which must repeat `graphScopes` exactly), so the host asks for them itself the first time.
 */
export type ReminderChannel = 'mail' | 'teams'

export const REMINDER_SCOPES: Readonly<Record<ReminderChannel, { scope: string; reason: string }>> = {
  mail: { scope: 'Mail.Send', reason: 'sends update reminders by email from the signed-in person’s mailbox (POST /me/sendMail); requested only when sending' },
  teams: { scope: 'TeamsActivity.Send', reason: 'sends update reminders to the Teams activity feed as the signed-in person; requested only when sending' },
}

/** The scopes a reminder run asks for besides `graphScopes`. */
export function reminderScopes(channel: ReminderChannel): readonly string[] {
  return [REMINDER_SCOPES[channel].scope]
}
