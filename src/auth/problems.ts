/**
 * Why signing in did not give a token, as data a page words (`describeAuthProblem`). Classified from
 * MSAL's `errorCode` and, for errors Microsoft Entra returned, the `AADSTS` number in the message:
 * MSAL v5 replaced its own messages with links and hashes them in logs, but keeps `errorCode`
 * stable (AzureAD/microsoft-authentication-library-for-js `lib/msal-browser/docs/v4-migration.md`,
 * "Error message format changes"). Nothing here keeps the error object, so no token or
 * authorization code in it can reach a page, a log or storage.
 */
export type AuthProblem =
  /** No signed-in account, or the session ended: a person must sign in (a button). */
  | { kind: 'signInRequired' }
  /** The person has not consented to the app's permission yet and may do so when asked. */
  | { kind: 'consentRequired' }
  /** Only an administrator can grant the permission (user consent is off, or Sites.Selected). */
  | { kind: 'adminConsentRequired' }
  /** The person closed the sign-in window, or declined consent. */
  | { kind: 'cancelled' }
  /** The browser blocked the sign-in window. */
  | { kind: 'popupBlocked' }
  /** Another sign-in is still open in this page or another tab. */
  | { kind: 'inProgress' }
  /** The person's account is not allowed to use this app (not assigned, other tenant, blocked by a policy). */
  | { kind: 'accessDenied'; code: string }
  /** The app registration does not match this deployment (client ID, tenant, redirect URI, platform type). */
  | { kind: 'misconfigured'; code: string; fix: string }
  /** This Teams or Office cannot sign apps in (no nested app authentication), or the page is framed elsewhere. */
  | { kind: 'hostUnsupported' }
  /** No connection to Microsoft Entra ID. */
  | { kind: 'offline' }
  /** Anything else, with the code to quote to IT. */
  | { kind: 'failed'; code: string }

type ErrorFields = { errorCode: string; text: string; interactionRequired: boolean }

function fieldsOf(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return { errorCode: '', text: String(error), interactionRequired: false }
  const e = error as { errorCode?: unknown; subError?: unknown; errorMessage?: unknown; message?: unknown; name?: unknown }
  const str = (v: unknown): string => (typeof v === 'string' ? v : '')
  return {
    errorCode: str(e.errorCode),
    text: [str(e.subError), str(e.errorMessage), str(e.message)].join(' '),
    interactionRequired: str(e.name) === 'InteractionRequiredAuthError',
  }
}

/** Microsoft Entra's own error numbers (learn.microsoft.com `entra/identity-platform/reference-error-codes`). */
const AADSTS: ReadonlyArray<{ codes: readonly string[]; problem: (code: string) => AuthProblem }> = [
  { codes: ['65001'], problem: () => ({ kind: 'consentRequired' }) },
  { codes: ['90094', '90008', '900941', '65002'], problem: () => ({ kind: 'adminConsentRequired' }) },
  { codes: ['65004'], problem: () => ({ kind: 'cancelled' }) },
  { codes: ['50105', '50020', '53003', '530003', '50097', '50076', '50079', '50158'], problem: (code) => ({ kind: 'accessDenied', code: `AADSTS${code}` }) },
  {
    codes: ['700016'],
    problem: (code) => ({ kind: 'misconfigured', code: `AADSTS${code}`, fix: 'The client ID or tenant in the configuration does not match the app registration.' }),
  },
  {
    codes: ['50011'],
    problem: (code) => ({ kind: 'misconfigured', code: `AADSTS${code}`, fix: "This page's address is not a redirect URI of the app registration (Single-page application platform)." }),
  },
  {
    codes: ['9002326', '9002327'],
    problem: (code) => ({ kind: 'misconfigured', code: `AADSTS${code}`, fix: 'The redirect URIs are registered under the Web platform: move them to Single-page application.' }),
  },
  {
    codes: ['90002', '90023'],
    problem: (code) => ({ kind: 'misconfigured', code: `AADSTS${code}`, fix: 'The tenant in the configuration is not a Microsoft Entra tenant ID or verified domain.' }),
  },
]

export function classifyAuthError(error: unknown): AuthProblem {
  const { errorCode, text, interactionRequired } = fieldsOf(error)
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1]
  if (aadsts) {
    const rule = AADSTS.find((r) => r.codes.includes(aadsts))
    if (rule) return rule.problem(aadsts)
  }
  switch (errorCode) {
    case 'consent_required':
      return { kind: 'consentRequired' }
    case 'user_cancelled':
    case 'user_canceled':
    case 'access_denied':
      return { kind: 'cancelled' }
    case 'popup_window_error':
    case 'empty_window_error':
      return { kind: 'popupBlocked' }
    case 'interaction_in_progress':
      return { kind: 'inProgress' }
    case 'no_network_connectivity':
    case 'no_network':
      return { kind: 'offline' }
    case 'redirect_in_iframe':
    case 'block_iframe_reload':
    case 'block_nested_popups':
    case 'bridge_disabled':
    case 'bridge_unavailable':
      return { kind: 'hostUnsupported' }
    case 'interaction_required':
    case 'login_required':
    case 'no_tokens_found':
    case 'no_account_error':
    case 'native_account_unavailable':
    case 'account_unavailable':
    case 'refresh_token_expired':
    case 'bad_token':
    case 'user_interaction_required':
    case 'ui_not_allowed':
    case 'monitor_window_timeout':
    case 'timed_out':
      return { kind: 'signInRequired' }
  }
  if (interactionRequired) return { kind: 'signInRequired' }
  return { kind: 'failed', code: errorCode || (aadsts ? `AADSTS${aadsts}` : 'unknown') }
}

/** The words a page shows: what happened, and what the person (or IT) can do about it. */
export type AuthMessage = { title: string; whatToDo: string; action: 'signIn' | 'retry' | 'openInBrowser' | 'none' }

export function describeAuthProblem(problem: AuthProblem): AuthMessage {
  switch (problem.kind) {
    case 'signInRequired':
      return { title: 'Sign in to see the plan', whatToDo: 'Sign in with your school district account.', action: 'signIn' }
    case 'consentRequired':
      return {
        title: 'pm-workbook needs your permission',
        whatToDo: 'Sign in and accept the request to let pm-workbook open the plan workbook for you. It can reach only files you can already open.',
        action: 'signIn',
      }
    case 'adminConsentRequired':
      return {
        title: 'Your IT administrator must approve pm-workbook first',
        whatToDo: 'Ask IT to grant admin consent to the pm-workbook app registration (Microsoft Entra admin center, App registrations, API permissions). Then sign in again.',
        action: 'signIn',
      }
    case 'cancelled':
      return { title: 'Sign-in was not finished', whatToDo: 'Sign in again when you are ready; the plan opens once you accept.', action: 'signIn' }
    case 'popupBlocked':
      return { title: 'The sign-in window was blocked', whatToDo: 'Allow pop-ups for this page, then sign in again.', action: 'signIn' }
    case 'inProgress':
      return { title: 'A sign-in is already open', whatToDo: 'Finish or close the other sign-in window, then try again.', action: 'retry' }
    case 'accessDenied':
      return {
        title: 'Your account cannot use pm-workbook',
        whatToDo: `Ask IT to give your account access to the pm-workbook app (error ${problem.code}).`,
        action: 'none',
      }
    case 'misconfigured':
      return { title: 'pm-workbook is not set up correctly', whatToDo: `Tell IT: ${problem.fix} (error ${problem.code})`, action: 'none' }
    case 'hostUnsupported':
      return {
        title: 'This version of Teams or Excel cannot sign pm-workbook in',
        whatToDo: 'Update Teams or Office, or open the plan in your web browser.',
        action: 'openInBrowser',
      }
    case 'offline':
      return { title: 'No connection to Microsoft 365', whatToDo: 'Check your internet connection, then try again.', action: 'retry' }
    case 'failed':
      return { title: 'Signing in did not work', whatToDo: `Try again; if it keeps failing, tell IT the error code ${problem.code}.`, action: 'retry' }
  }
}
