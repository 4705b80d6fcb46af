import type { Middleware } from '@microsoft/microsoft-graph-client'
import type { TokenProvider } from '../../../auth/tokens.ts'
import { storeError } from '../protocol/errors.ts'
import { StoreFailure } from './failure.ts'
import { middleware, requestHeaders, requestUrl } from './middleware.ts'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Microsoft Graph's own hosts: the global service and the national clouds (learn.microsoft.com
 * graph/deployments: US Government L4 and L5 (DOD), China operated by 21Vianet).
 */
export const GRAPH_HOSTS: ReadonlySet<string> = new Set(['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'])

/**
 * Whether `url` may carry the token: Graph's own hosts over https, loopback (the local server),
 * and the origins the administrator configured (PMW_GRAPH_BASE_URL), over https or loopback.
 * A host that merely appears in a SOURCE someone pasted is never one of them.
 */
export function mayCarryToken(url: URL, trustedOrigins: readonly string[] = []): boolean {
  const loopback = LOOPBACK.has(url.hostname)
  if (url.protocol === 'http:' && loopback) return true
  if (url.protocol !== 'https:') return false
  return loopback || GRAPH_HOSTS.has(url.hostname.toLowerCase()) || trustedOrigins.some((o) => sameOrigin(o, url))
}

function sameOrigin(origin: string, url: URL): boolean {
  try {
    return new URL(origin).origin === url.origin
  } catch {
    return false
  }
}

export function bearer(tokens: TokenProvider, trustedOrigins: readonly string[] = []): Middleware {
  return middleware('bearer', async (context, next) => {
    const headers = requestHeaders(context)
    // Whatever a caller set is dropped: the token goes only where this rule allows.
    headers.delete('Authorization')
    if (mayCarryToken(new URL(requestUrl(context)), trustedOrigins)) {
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
