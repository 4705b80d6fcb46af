/**
 * Where a bearer token comes from. Microsoft 365 surfaces plug in MSAL/NAA here; the local
 * server needs none. `null` means "send no Authorization header at all".
 */
export type TokenProvider = { getToken(): Promise<string | null> }

export const noToken: TokenProvider = { getToken: async () => null }

export function staticToken(token: string): TokenProvider {
  return { getToken: async () => token }
}
