import { forbidden, type GraphError } from '../errors.ts'

/**
 * DNS rebinding and cross-site requests are refused: a page on another origin must not read or
 * write the district's workbook through a server that trusts everything on loopback.
 * Only the two loopback names of this very port are accepted, as Host and as Origin.
 */
export function ownOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

export function checkHostAndOrigin(headers: { host?: string | undefined; origin?: string | undefined }, port: number): GraphError | null {
  const host = headers.host?.toLowerCase()
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
    return forbidden(`Host "${headers.host ?? ''}" is not this server; use 127.0.0.1:${port} or localhost:${port}.`)
  }
  if (headers.origin !== undefined && !ownOrigins(port).includes(headers.origin.toLowerCase())) {
    return forbidden(`Requests from origin "${headers.origin}" are not allowed.`)
  }
  return null
}
