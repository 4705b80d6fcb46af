import type { MsalAccount, MsalClient, MsalConfiguration, MsalFactories, MsalRequest, MsalResult } from '../../src/auth/sign-in.ts'

/** A token no test would type by accident, to search for in logs, storage and errors. */
export const SECRET_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.SECRET-ACCESS-TOKEN.signature'

export const ADA: MsalAccount = { homeAccountId: 'oid.tid', username: 'adaeze.nwosu@riverbend.example', name: 'Adaeze Nwosu' }

export type Call = { method: keyof MsalClient; request?: MsalRequest }

/** An MSAL stand-in: records every call and answers from a script; no network, no storage. */
export class FakeMsal implements MsalClient {
  readonly calls: Call[] = []
  accounts: MsalAccount[] = []
  active: MsalAccount | null = null
  redirectResult: MsalResult | null = null
  /** Thrown by the next silent call (acquireTokenSilent, ssoSilent), then cleared. */
  silentError: unknown = null
  popupError: unknown = null

  getAllAccounts(): MsalAccount[] {
    return this.accounts
  }
  getActiveAccount(): MsalAccount | null {
    return this.active
  }
  setActiveAccount(account: MsalAccount | null): void {
    this.calls.push({ method: 'setActiveAccount' })
    this.active = account
  }
  private silent(method: 'acquireTokenSilent' | 'ssoSilent', request: MsalRequest): Promise<MsalResult> {
    this.calls.push({ method, request })
    const error = this.silentError
    this.silentError = null
    if (error) return Promise.reject(error)
    return Promise.resolve({ accessToken: SECRET_TOKEN, account: request.account ?? ADA })
  }
  acquireTokenSilent(request: MsalRequest & { account: MsalAccount }): Promise<MsalResult> {
    return this.silent('acquireTokenSilent', request)
  }
  ssoSilent(request: MsalRequest): Promise<MsalResult> {
    return this.silent('ssoSilent', request)
  }
  acquireTokenPopup(request: MsalRequest): Promise<MsalResult> {
    this.calls.push({ method: 'acquireTokenPopup', request })
    if (this.popupError) return Promise.reject(this.popupError)
    this.accounts = [ADA]
    return Promise.resolve({ accessToken: SECRET_TOKEN, account: ADA })
  }
  acquireTokenRedirect(request: MsalRequest): Promise<void> {
    this.calls.push({ method: 'acquireTokenRedirect', request })
    return Promise.resolve()
  }
  handleRedirectPromise(): Promise<MsalResult | null> {
    this.calls.push({ method: 'handleRedirectPromise' })
    return Promise.resolve(this.redirectResult)
  }
}

/** Factories that hand out `client` and remember which factory was used, with what configuration. */
export function fakeFactories(client: FakeMsal): MsalFactories & { used: { factory: 'nestable' | 'standard'; configuration: MsalConfiguration }[] } {
  const used: { factory: 'nestable' | 'standard'; configuration: MsalConfiguration }[] = []
  return {
    used,
    nestable: async (configuration) => {
      used.push({ factory: 'nestable', configuration })
      return client
    },
    standard: async (configuration) => {
      used.push({ factory: 'standard', configuration })
      return client
    },
  }
}

/** Errors shaped like MSAL's (errorCode, errorMessage, subError, name), without importing MSAL. */
export function msalError(errorCode: string, errorMessage = '', name = 'AuthError'): Error {
  return Object.assign(new Error(`See https://aka.ms/msal.js.errors#${errorCode} for details`), { errorCode, errorMessage, subError: '', name })
}
