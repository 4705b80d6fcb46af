import { DEFAULT_PERMISSION, GRAPH_PERMISSIONS, parsePermission, type GraphPermission } from './scopes.ts'

/**
 * What a page needs to sign in to a district's Microsoft 365, parsed once where it enters: from the
 * `app-config.json` that `npm run package` writes beside the built pages, and (the same fields)
 * from the administrator's `pm-workbook.config.json`. Nothing here is a secret: a public client
 * (single-page app) registration has no client secret, and its client and tenant IDs appear in
 * every sign-in URL anyway.
 */
export type AppConfig = {
  /** The Entra app registration's Application (client) ID. */
  clientId: string
  /** The district's Directory (tenant) ID, or one of its verified domains (`riverbend.onmicrosoft.com`). */
  tenantId: string
  permission: GraphPermission
  /** The plan workbook the pages open when no link is given: a sharing link or drive item URL (https), or null. */
  defaultWorkbook: string | null
}

/** The file `npm run package` writes next to tab.html and taskpane.html; fetch it relative to the page. */
export const APP_CONFIG_FILE = 'app-config.json'

/** A value the configuration cannot use, named by its field (`clientId`, `publisher.websiteUrl`). */
export type ConfigProblem = { field: string; message: string }

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] }

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i

export const isGuid = (value: string): boolean => GUID.test(value)

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Checks one field of `source`; each `check*` pushes a problem naming `field` and returns the value or null. */
export class FieldReader {
  readonly problems: ConfigProblem[] = []
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  private name(field: string): string {
    return this.prefix + field
  }

  problem(field: string, message: string): null {
    this.problems.push({ field: this.name(field), message })
    return null
  }

  has(field: string): boolean {
    return this.source[field] !== undefined
  }

  raw(field: string): unknown {
    return this.source[field]
  }

  text(field: string, what: string): string | null {
    const value = this.source[field]
    if (value === undefined) return this.problem(field, `missing: ${what}`)
    if (typeof value !== 'string' || value.trim() === '') return this.problem(field, `must be a non-empty string: ${what}`)
    return value.trim()
  }

  guid(field: string, what: string): string | null {
    const value = this.text(field, what)
    if (value === null) return null
    if (!isGuid(value)) return this.problem(field, `"${value}" is not a GUID (like 0b7c3a52-8f7e-4d6b-9c1a-2f4e5d6c7b8a): ${what}`)
    return value.toLowerCase()
  }

  tenant(field: string): string | null {
    const what = "the Directory (tenant) ID on the app registration's Overview page, or a verified domain such as riverbend.onmicrosoft.com"
    const value = this.text(field, what)
    if (value === null) return null
    if (['common', 'organizations', 'consumers'].includes(value.toLowerCase())) {
      return this.problem(field, `"${value}" lets other organisations (or personal accounts, which the workbook API does not support) sign in: use the district's own ${what}`)
    }
    if (isGuid(value)) return value.toLowerCase()
    if (DOMAIN.test(value)) return value.toLowerCase()
    return this.problem(field, `"${value}" is neither a GUID nor a domain name: ${what}`)
  }

  /** An absolute https URL (what Teams and Office load; the manifest schema alone does not insist on https). */
  httpsUrl(field: string, what: string, options: { optional?: boolean } = {}): string | null {
    const value = this.source[field]
    if (value === undefined && options.optional) return null
    const text = this.text(field, what)
    if (text === null) return null
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return this.problem(field, `"${text}" is not a URL: ${what}`)
    }
    if (url.protocol !== 'https:') return this.problem(field, `"${text}" must start with https:// (Teams and Office load only https pages): ${what}`)
    if (url.username || url.password) return this.problem(field, `"${text}" must not carry a user name or password`)
    return text
  }

  permission(field: string): GraphPermission {
    const value = this.source[field]
    if (value === undefined) return DEFAULT_PERMISSION
    const permission = parsePermission(value)
    if (permission) return permission
    this.problem(field, `${JSON.stringify(value)} is not one of ${GRAPH_PERMISSIONS.join(', ')}`)
    return DEFAULT_PERMISSION
  }

  /** An https workbook link, or an explicit null for "no default: people paste a link". */
  workbook(field: string): string | null {
    if (this.source[field] === null) return null
    if (this.source[field] === undefined) {
      return this.problem(field, 'missing: a sharing link or drive item URL (https) of the plan workbook, or null when each channel tab is given its own link')
    }
    return this.httpsUrl(field, 'a sharing link or drive item URL of the plan workbook, or null')
  }
}

export function fieldReader(value: unknown, prefix = ''): FieldReader | null {
  return isRecord(value) ? new FieldReader(value, prefix) : null
}

/** The sign-in part of a configuration: shared by app-config.json and the administrator's file. */
export function readSignInFields(fields: FieldReader): AppConfig | null {
  const clientId = fields.guid('clientId', "the Application (client) ID on the app registration's Overview page")
  const tenantId = fields.tenant('tenantId')
  const permission = fields.permission('permission')
  const defaultWorkbook = fields.workbook('defaultWorkbook')
  if (permission === 'Files.ReadWrite' && defaultWorkbook && isSharePointSite(defaultWorkbook)) {
    fields.problem('permission', `Files.ReadWrite reaches only the signed-in person's own OneDrive, but defaultWorkbook is on a SharePoint site: use Files.ReadWrite.All or Sites.Selected`)
  }
  if (clientId === null || tenantId === null || fields.problems.length > 0) return null
  return { clientId, tenantId, permission, defaultWorkbook }
}

/** A SharePoint team site (not a OneDrive, whose host ends in `-my.sharepoint.com`), by its URL. */
function isSharePointSite(url: string): boolean {
  const { hostname, pathname } = new URL(url)
  if (/\/sites\/[^/]+\/drive/i.test(pathname)) return true
  return hostname.endsWith('.sharepoint.com') && !hostname.endsWith('-my.sharepoint.com')
}

/** Parses app-config.json as fetched by a page. */
export function parseAppConfig(value: unknown): Parsed<AppConfig> {
  const fields = fieldReader(value)
  if (!fields) return { ok: false, problems: [{ field: '(file)', message: 'must be a JSON object' }] }
  const config = readSignInFields(fields)
  return config ? { ok: true, value: config } : { ok: false, problems: fields.problems }
}
