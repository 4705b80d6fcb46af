/**
 * Whether the host offers nested app authentication, asked the way each host's docs say. The pages
 * already detect their host (src/tab/host.ts, src/taskpane/office/host.ts); they pass the host's
 * API here to fill `SignInHost.naa`. Both answer false rather than throw.
 */

/** teams-js `nestedAppAuth`, after `app.initialize()` succeeded (TeamsJS before MSAL: msteams-docs `nested-authentication.md`). */
export type TeamsNaa = { isNAAChannelRecommended(): boolean }

export function teamsOffersNaa(nestedAppAuth: TeamsNaa): boolean {
  try {
    return nestedAppAuth.isNAAChannelRecommended()
  } catch {
    return false
  }
}

/** The slice of Office.js asked: `Office.context.requirements` and `Office.auth`. */
export type OfficeNaa = {
  context?: { requirements?: { isSetSupported(name: string, minVersion?: string): boolean } }
  auth?: { getAuthContext?: () => Promise<{ userPrincipalName?: string }> }
}

/** `Office.context.requirements.isSetSupported("NestedAppAuth", "1.1")` (office-js-docs-pr `enable-nested-app-authentication-in-your-add-in.md`). */
export function officeOffersNaa(office: OfficeNaa): boolean {
  try {
    return office.context?.requirements?.isSetSupported('NestedAppAuth', '1.1') ?? false
  } catch {
    return false
  }
}

/** The login hint Office on the web needs to pick the account (`Office.auth.getAuthContext()`), or null. */
export async function officeLoginHint(office: OfficeNaa): Promise<string | null> {
  try {
    const context = await office.auth?.getAuthContext?.()
    return context?.userPrincipalName || null
  } catch {
    return null
  }
}
