/**
 * One factory per Graph error code the local server sends, each citing the page that
 * defines it (in microsoftgraph/microsoft-graph-docs-contrib), so a client written against
 * Microsoft's docs meets the same status and codes here. Rendering is in protocol/odata-error.ts.
 */
export type GraphError = {
  status: number
  /** Top-level code, compared case-insensitively by clients (GRAPH.md §7). */
  code: string
  message: string
  /** Excel's second-level code (concepts/workbook-error-handling.md), when one applies. */
  innerCode?: string
  retryAfterSeconds?: number
}

const error = (status: number, code: string, message: string, innerCode?: string): GraphError =>
  innerCode === undefined ? { status, code, message } : { status, code, message, innerCode }

/**
 * Unsupported URL, e.g. `rows/{index}`. Observed on the live service (contrib#3940, #8426,
 * #9041), undocumented; docs#18892 saw 400 Bad Request, so 400 it is (DIFFERENCES.md).
 */
export const apiNotFound = (path: string): GraphError =>
  error(400, 'ApiNotFound', `The requested API is not supported: ${path}`)

/** concepts/workbook-error-codes.md (404 itemNotFound), concepts/workbook-error-handling.md. */
export const itemNotFound = (what: string): GraphError => error(404, 'itemNotFound', `${what} was not found.`, 'itemNotFound')

/** concepts/workbook-error-codes.md (409 conflict) with inner accessConflict: another program holds the workbook. */
export const accessConflict = (message: string): GraphError => error(409, 'conflict', message, 'accessConflict')

/**
 * A sheet or table name already taken (ignoring case). concepts/workbook-error-codes.md lists the
 * inner code itemAlreadyExists, "the resource being created already exists", under no status;
 * 409 conflict is the status of its class there ("the current state conflicts with what the
 * request expects"). The service's answer for this case is undocumented (DIFFERENCES.md).
 */
export const itemAlreadyExists = (what: string): GraphError => error(409, 'conflict', `${what} already exists.`, 'itemAlreadyExists')

/** concepts/workbook-error-handling.md: invalidArgument, "the argument is invalid or missing or has an incorrect format". */
export const invalidArgument = (message: string): GraphError => error(400, 'invalidArgument', message, 'invalidArgument')

/** concepts/workbook-error-codes.md: 400 badRequest / invalidRequest, "the request is malformed or incorrect". */
export const badRequest = (message: string): GraphError => error(400, 'badRequest', message, 'invalidRequest')

/** concepts/errors.md: 403 forbidden. Used for the local server's Host/Origin refusal. */
export const forbidden = (message: string): GraphError => error(403, 'forbidden', message)

/** concepts/workbook-error-handling.md: methodNotAllowed. */
export const methodNotAllowed = (method: string, path: string): GraphError =>
  error(405, 'methodNotAllowed', `${method} is not allowed on ${path}.`, 'methodNotAllowed')

/**
 * An unknown or expired `workbook-session-id`. res/excel.md (2019 revision) gives 404 for an
 * expired session; the second-level code invalidSessionReCreatable
 * (concepts/workbook-error-handling.md) tells the client to create a new session and resume.
 */
export const sessionNotFound = (): GraphError =>
  error(404, 'notFound', 'The workbook session does not exist or has expired.', 'invalidSessionReCreatable')

/** concepts/workbook-error-codes.md: 413 payloadTooLarge. */
export const payloadTooLarge = (limitBytes: number): GraphError =>
  error(413, 'payloadTooLarge', `The request body exceeds ${limitBytes} bytes.`, 'payloadTooLargeUncategorized')

/**
 * A response body over Excel on the web's 5 MB limit (GRAPH.md §6: office-js-docs-pr
 * docs/concepts/resource-limits-and-performance-optimization.md). The top-level and inner codes
 * are the ones the service was seen sending for a large table range (microsoft-graph-docs#15709);
 * neither that issue nor #6596 shows the HTTP status, so 413 it is, the status of
 * concepts/workbook-error-codes.md's payload-size class (DIFFERENCES.md).
 */
export const responsePayloadSizeLimitExceeded = (limitBytes: number): GraphError =>
  error(413, 'ResponsePayloadSizeLimitExceeded', `The response would exceed the ${limitBytes}-byte limit; read fewer cells per request.`, 'responsePayloadSizeLimitExceeded')

/** concepts/throttling.md: 429 with Retry-After (seconds). */
export const tooManyRequests = (retryAfterSeconds?: number): GraphError => ({
  ...error(429, 'tooManyRequests', 'Too many requests; retry after the cooldown.', 'tooManyRequestsUncategorized'),
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
})

/** concepts/errors.md: 503 serviceUnavailable, may carry Retry-After. */
export const serviceUnavailable = (retryAfterSeconds?: number): GraphError => ({
  ...error(503, 'serviceUnavailable', 'The service is temporarily unavailable.', 'serviceUnavailableUncategorized'),
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
})

/** concepts/errors.md: 504 gatewayTimeout; concepts/workbook-error-handling.md: gatewayTimeoutUncategorized. */
export const gatewayTimeout = (retryAfterSeconds?: number): GraphError => ({
  ...error(504, 'gatewayTimeout', 'The request did not complete in time.', 'gatewayTimeoutUncategorized'),
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
})

/** concepts/json-batching.md: a request whose dependency failed answers 424. */
export const failedDependency = (dependencyId: string): GraphError =>
  error(424, 'failedDependency', `Request ${dependencyId} on which this request depends failed.`)

/** concepts/workbook-error-handling.md: generalException, e.g. the workbook could not be saved. */
export const generalException = (message: string): GraphError => error(500, 'internalServerError', message, 'generalException')

/**
 * The workbook cannot be opened: damaged (replaced behind the server by a broken copy) or over
 * the unzipped-size cap. concepts/workbook-error-codes.md and workbook-error-handling.md give the
 * second-level code unsupportedWorkbook ("the workbook contains unsupported features or exceeds
 * the size limit"; do not resend until that is fixed) but bind it to no status, so it comes
 * under 400 badRequest, a status no client retries on its own (DIFFERENCES.md).
 */
export const unsupportedWorkbook = (message: string): GraphError => error(400, 'badRequest', message, 'unsupportedWorkbook')

/**
 * The file cannot be written (read-only). concepts/workbook-error-handling.md: accessDenied, "you
 * cannot perform the requested operation", not to be resent; under 403 forbidden
 * (concepts/workbook-error-codes.md).
 */
export const accessDenied = (message: string): GraphError => error(403, 'forbidden', message, 'accessDenied')

/**
 * createSession while the server already holds its maximum of sessions. The service's limit and
 * its answer are undocumented (contrib#597, #592); throttling is what concepts/throttling.md
 * describes for "too many": 429 with Retry-After, here the seconds until the first open session
 * idles out, and the inner code tooManyRequestsUncategorized (concepts/workbook-error-codes.md).
 */
export const tooManySessions = (maxSessions: number, retryAfterSeconds: number): GraphError => ({
  ...error(429, 'tooManyRequests', `The workbook already has ${maxSessions} open sessions; close one or retry after ${retryAfterSeconds} seconds.`, 'tooManyRequestsUncategorized'),
  retryAfterSeconds,
})

/**
 * A sendMail body in MIME format that is not base64 (api-reference/v1.0/api/user-sendmail.md,
 * "Response": 400 Bad Request, code ErrorMimeContentInvalidBase64String).
 */
export const mimeContentInvalidBase64 = (): GraphError => error(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.')
