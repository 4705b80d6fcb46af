import type { Context, Middleware } from '@microsoft/microsoft-graph-client'

/** One link of the chain: does its part, then hands the context to `next`. */
export type Step = (context: Context, next: Middleware) => Promise<void>

/** Wraps a step as an SDK Middleware (`execute` + `setNext`), so the SDK's HTTPClient links our chain. */
export function middleware(name: string, step: Step): Middleware {
  let next: Middleware | null = null
  return {
    execute: (context) => {
      if (!next) throw new Error(`Graph middleware "${name}" has nothing after it; the chain must end with the HTTP transport.`)
      return step(context, next)
    },
    setNext: (m) => {
      next = m
    },
  }
}

/** The last link: it answers instead of passing on. */
export function terminal(execute: (context: Context) => Promise<void>): Middleware {
  return { execute, setNext: () => undefined }
}

export function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url
}

export function requestMethod(context: Context): string {
  return (context.options?.method ?? 'GET').toUpperCase()
}

/** Headers as one mutable object, whatever shape the SDK handed over. */
export function requestHeaders(context: Context): Headers {
  const headers = new Headers(context.options?.headers)
  context.options = { ...context.options, headers }
  return headers
}
