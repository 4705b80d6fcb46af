/** A Graph call as the handlers see it, whether it came over HTTP or inside a `$batch`. */
export type GraphRequest = {
  method: string
  /** Path below the version root (`/graph/v1.0`), starting with `/`, still percent-encoded. */
  path: string
  query: URLSearchParams
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown
  inBatch: boolean
}

export type GraphResponse = {
  status: number
  headers: Record<string, string>
  /** JSON body; undefined for an empty one (204, DELETE's 200). */
  body?: unknown
  /** `body` already serialized, once its size was checked (protocol/response-size.ts); sent as is. */
  text?: string
}

/** The exact key the SDK looks for before parsing a `$batch` sub-response body (GRAPH.md §10). */
export const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json' }

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): GraphResponse => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body,
})

export const empty = (status: number): GraphResponse => ({ status, headers: {} })
