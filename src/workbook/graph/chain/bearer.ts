import type { Middleware } from '@microsoft/microsoft-graph-client'
import type { TokenProvider } from '../../../auth/tokens.ts'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { middleware, requestHeaders, requestUrl } from './middleware.ts'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Whether `url` may carry the token: same scheme and host (with port) as the configured base URL,
 * and either https or loopback. Unlike the SDK's AuthenticationHandler (GRAPH.md §10), the local
 * server on http://127.0.0.1 gets the token too, and no other host ever does.
 */
export function mayCarryToken(url: URL, base: URL): boolean {
  if (url.protocol !== base.protocol || url.host !== base.host) return false
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
}

export function bearer(tokens: TokenProvider, baseUrl: string): Middleware {
  const base = new URL(baseUrl)
  return middleware('bearer', async (context, next) => {
    const headers = requestHeaders(context)
    // Whatever a caller set is dropped: the token goes only where this rule allows.
    headers.delete('Authorization')
    if (mayCarryToken(new URL(requestUrl(context)), base)) {
      let token: string | null
      try {
        token = await tokens.getToken()
      } catch {
        throw new StoreFailure(storeError('unauthorized'))
      }
      if (token) headers.set('Authorization', `Bearer ${token}`)
    }
    await next.execute(context)
  })
}
