import { fieldReader, readSignInFields, type AppConfig, type ConfigProblem, type Parsed } from '../src/auth/config.ts'

/**
 * The administrator's configuration (`pm-workbook.config.json`; documented in the README section
 * "Install in Microsoft 365" and shown by `pm-workbook.config.example.json`). `npm run package`
 * reads it once here; a missing or malformed value stops the command with a message naming the field.
 */
export type PackageConfig = AppConfig & {
  /** Where the built pages are served, https, without a trailing slash: `https://plan.riverbend.example/pm-workbook`. */
  appUrl: string
  /** The Teams / Microsoft 365 app's own ID (a GUID you generate once and keep for every update). */
  appId: string
  /** The add-in-only (XML) manifest's `<Id>`: another GUID, different from appId (the docs require it). */
  addInId: string
  /** `n.n.n`; raise it for every package you upload again. */
  version: string
  publisher: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string }
}

const FIELDS = ['tenantId', 'clientId', 'appUrl', 'defaultWorkbook', 'permission', 'appId', 'addInId', 'version', 'publisher'] as const
const PUBLISHER_FIELDS = ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl'] as const

/** Keys starting with `$` or `//` are comments. */
const isComment = (key: string): boolean => key.startsWith('$') || key.startsWith('//')

function unknownFields(value: Record<string, unknown>, known: readonly string[], prefix: string): ConfigProblem[] {
  return Object.keys(value)
    .filter((key) => !isComment(key) && !known.includes(key))
    .map((key) => {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase())
      return { field: prefix + key, message: `unknown field${near ? ` (did you mean ${near}?)` : ''}; known fields: ${known.join(', ')}` }
    })
}

export function parsePackageConfig(value: unknown, defaults: { version: string }): Parsed<PackageConfig> {
  const fields = fieldReader(value)
  if (!fields) return { ok: false, problems: [{ field: '(file)', message: 'must be a JSON object: see pm-workbook.config.example.json' }] }
  const signIn = readSignInFields(fields)
  const appUrlText = fields.httpsUrl('appUrl', 'the https address where the built pages (tab.html, taskpane.html) are served')
  let appUrl: string | null = null
  if (appUrlText !== null) {
    const url = new URL(appUrlText)
    if (url.search || url.hash) fields.problem('appUrl', `"${appUrlText}" must be a folder address without ?query or #fragment`)
    else appUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  }
  const appId = fields.guid('appId', 'a new GUID for the Teams / Microsoft 365 app (PowerShell: New-Guid); keep it for every update')
  const addInId = fields.guid('addInId', 'another new GUID, for the add-in-only (XML) manifest')
  if (appId && addInId && appId === addInId) fields.problem('addInId', 'must differ from appId: the XML add-in and the unified app are two products to Office')
  let version = defaults.version
  if (fields.has('version')) {
    const text = fields.text('version', 'the app version, n.n.n')
    if (text !== null && !/^\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(text)) fields.problem('version', `"${text}" is not n.n.n (each part at most five digits)`)
    else if (text !== null) version = text
  }
  const publisher = readPublisher(fields.raw('publisher'), appUrl)
  const problems = [...unknownFields(value as Record<string, unknown>, FIELDS, ''), ...fields.problems, ...publisher.problems]
  if (problems.length > 0 || !signIn || !appUrl || !appId || !addInId || !publisher.value) return { ok: false, problems }
  return { ok: true, value: { ...signIn, appUrl, appId, addInId, version, publisher: publisher.value } }
}

/** `publisher` is optional; its URLs default to appUrl, its name to "pm-workbook". Teams shows them on the app's details page. */
function readPublisher(value: unknown, appUrl: string | null): { value: PackageConfig['publisher'] | null; problems: ConfigProblem[] } {
  const fallback = appUrl ?? 'https://invalid.example'
  if (value === undefined) return { value: { name: 'pm-workbook', websiteUrl: fallback, privacyUrl: fallback, termsOfUseUrl: fallback }, problems: [] }
  const fields = fieldReader(value, 'publisher.')
  if (!fields) return { value: null, problems: [{ field: 'publisher', message: 'must be an object: { "name", "websiteUrl", "privacyUrl", "termsOfUseUrl" }' }] }
  const name = fields.has('name') ? fields.text('name', "the district's name as Teams shows it (at most 32 characters)") : 'pm-workbook'
  if (name !== null && name.length > 32) fields.problem('name', `"${name}" is ${name.length} characters; Teams allows 32`)
  const url = (field: 'websiteUrl' | 'privacyUrl' | 'termsOfUseUrl', what: string): string | null => (fields.has(field) ? fields.httpsUrl(field, what) : fallback)
  const websiteUrl = url('websiteUrl', "the district's website")
  const privacyUrl = url('privacyUrl', "the district's privacy statement")
  const termsOfUseUrl = url('termsOfUseUrl', "the district's terms of use")
  const problems = [...unknownFields(value as Record<string, unknown>, PUBLISHER_FIELDS, 'publisher.'), ...fields.problems]
  if (problems.length > 0 || name === null || !websiteUrl || !privacyUrl || !termsOfUseUrl) return { value: null, problems }
  return { value: { name, websiteUrl, privacyUrl, termsOfUseUrl }, problems: [] }
}

export function describeProblems(file: string, problems: readonly ConfigProblem[]): string {
  return [`${file} cannot be used:`, ...problems.map((p) => `  ${p.field}: ${p.message}`)].join('\n')
}
