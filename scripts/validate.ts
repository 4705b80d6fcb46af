import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest'
import { OfficeAddinManifest } from 'office-addin-manifest'
import { graphScopes } from '../src/auth/scopes.ts'
import type { PackageConfig } from './package-config.ts'

/**
 * Offline checks of both manifests. Each returns a list of problems, empty when valid.
 *
 * The unified manifest is validated against the official JSON schema of its version, read from
 * the copy @microsoft/app-manifest ships (build/json-schemas/teams/v1.24), with
 * `AppManifestUtils.validateAgainstSchema`: no network. The schema does not insist on https; Teams
 * and Office do, so every URL is checked here too.
 *
 * The add-in-only XML manifest has no offline validator: `office-addin-manifest validate` posts
 * XML manifests to Microsoft's validation service (its lib/validate.js), and the XSD files are
 * published only in the [MS-OWEMXML] specification, not in any package. So it is parsed with
 * office-addin-manifest's offline reader (`OfficeAddinManifest.readManifestFile`, xml2js) and
 * checked here against the rules the docs give: element order (office-js-docs-pr
 * docs/develop/manifest-element-ordering.md), a resource for every resid, https URLs, ID formats.
 */

/** The manifest version the package uses: GA, at least 1.22 (`nestedAppAuthInfo`), what Office templates use today. */
export const MANIFEST_VERSION = '1.24'
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`

const require = createRequire(import.meta.url)

/** The official schema of `version`, as @microsoft/app-manifest ships it (read from disk, never fetched). */
export function localTeamsSchema(version: string): Record<string, unknown> {
  const root = dirname(require.resolve('@microsoft/app-manifest/package.json'))
  const file = resolve(root, 'build/json-schemas/teams', `v${version}`, 'MicrosoftTeams.schema.json')
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
}

export function gaVersionAtLeast(version: unknown, minimum: [number, number]): boolean {
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)$/.exec(version) : null
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1])
}

/** `path` of every string whose key names a URL, or whose value looks like one. */
function urls(node: unknown, path = ''): { path: string; value: string }[] {
  if (typeof node === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(node) || /url$/i.test(path) ? [{ path, value: node }] : []
  if (Array.isArray(node)) return node.flatMap((item, i) => urls(item, `${path}[${i}]`))
  if (typeof node === 'object' && node !== null) return Object.entries(node).flatMap(([k, v]) => urls(v, path ? `${path}.${k}` : k))
  return []
}

export async function validateUnifiedManifest(manifest: Record<string, unknown>, config: PackageConfig): Promise<string[]> {
  const problems: string[] = []
  const version = manifest.manifestVersion
  if (!gaVersionAtLeast(version, [1, 22])) problems.push(`manifestVersion ${JSON.stringify(version)}: must be a GA version of at least 1.22 (nestedAppAuthInfo), not devPreview`)
  else if (manifest.$schema !== `https://developer.microsoft.com/json-schemas/teams/v${String(version)}/MicrosoftTeams.schema.json`) problems.push(`$schema ${JSON.stringify(manifest.$schema)} is not the schema of manifestVersion ${String(version)}`)
  if (problems.length === 0) {
    const schema = localTeamsSchema(String(version))
    const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as TeamsManifest, schema as unknown as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1])
    problems.push(...errors.map((e) => `schema: ${e}`))
  }
  for (const { path, value } of urls(manifest)) {
    if (path === '$schema') continue
    if (path.endsWith('nestedAppAuthInfo[0].redirectUri')) continue
    if (!value.startsWith('https://')) problems.push(`${path}: "${value}" is not https`)
  }
  const app = new URL(config.appUrl)
  const domains = manifest.validDomains
  if (!Array.isArray(domains) || !domains.includes(app.host)) problems.push(`validDomains must list ${app.host}, where the pages are`)
  else if (domains.some((d) => typeof d !== 'string' || d.includes('://') || d.includes('/'))) problems.push('validDomains holds host names, without https:// or a path')
  const web = manifest.webApplicationInfo as { id?: unknown; nestedAppAuthInfo?: { redirectUri?: unknown; scopes?: unknown }[] } | undefined
  if (web?.id !== config.clientId) problems.push('webApplicationInfo.id must be the client ID of the app registration')
  const naa = web?.nestedAppAuthInfo?.[0]
  if (naa?.redirectUri !== `brk-multihub://${app.host}`) problems.push(`webApplicationInfo.nestedAppAuthInfo[0].redirectUri must be brk-multihub://${app.host}`)
  if (JSON.stringify(naa?.scopes) !== JSON.stringify(graphScopes(config.permission))) problems.push('webApplicationInfo.nestedAppAuthInfo[0].scopes must be exactly the scopes the pages request (src/auth/scopes.ts), in order')
  return problems
}

/** A tag as the tokenizer saw it: name, attributes, depth (0 = the root), and whether it closed itself. */
export type XmlTag = { name: string; attributes: Record<string, string>; depth: number; parent: string | null; line: number }

/** A strict little tokenizer for the manifest we generate: elements, attributes, comments, the XML declaration. */
export function xmlTags(xml: string): { tags: XmlTag[]; problems: string[] } {
  const tags: XmlTag[] = []
  const problems: string[] = []
  const stack: string[] = []
  const pattern = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*"[^"<]*")*)\s*(\/?)>|<|>/g
  const lineAt = (index: number) => xml.slice(0, index).split('\n').length
  let textStart = 0
  for (let m = pattern.exec(xml); m; m = pattern.exec(xml)) {
    const between = xml.slice(textStart, m.index)
    if (/[<>]/.test(between)) problems.push(`line ${lineAt(textStart)}: stray < or >`)
    textStart = pattern.lastIndex
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue
    if (m[0] === '<' || m[0] === '>') {
      problems.push(`line ${lineAt(m.index)}: malformed tag near ${JSON.stringify(xml.slice(m.index, m.index + 40))}`)
      continue
    }
    const [, close, name = '', attrs = '', selfClose] = m
    if (close) {
      const open = stack.pop()
      if (open !== name) problems.push(`line ${lineAt(m.index)}: </${name}> closes <${open ?? 'nothing'}>`)
      continue
    }
    const attributes: Record<string, string> = {}
    for (const a of attrs.matchAll(/([\w.:-]+)\s*=\s*"([^"]*)"/g)) {
      if (a[1] as string in attributes) problems.push(`line ${lineAt(m.index)}: <${name}> repeats ${a[1]}`)
      attributes[a[1] as string] = (a[2] as string).replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    }
    tags.push({ name, attributes, depth: stack.length, parent: stack.at(-1) ?? null, line: lineAt(m.index) })
    if (!selfClose) stack.push(name)
  }
  if (stack.length) problems.push(`unclosed <${stack.join('>, <')}>`)
  if (tags.filter((t) => t.depth === 0).length !== 1) problems.push('must have exactly one root element')
  return { tags, problems }
}

/** office-js-docs-pr docs/develop/manifest-element-ordering.md, "Basic task pane add-in element ordering". */
export const OFFICE_APP_ORDER = ['Id', 'AlternateId', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'AppDomains', 'Hosts', 'Requirements', 'DefaultSettings', 'Permissions', 'Dictionary', 'VersionOverrides', 'ExtendedOverrides'] as const
const REQUIRED = ['Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'SupportUrl', 'Hosts', 'DefaultSettings', 'Permissions'] as const

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Structural checks of the XML text (see the module comment for why not the XSD). */
export function checkXmlManifest(xml: string, config: PackageConfig): string[] {
  const { tags, problems } = xmlTags(xml)
  if (problems.length) return problems
  const root = tags[0]
  if (root?.name !== 'OfficeApp' || root.attributes['xsi:type'] !== 'TaskPaneApp') problems.push('root must be <OfficeApp xsi:type="TaskPaneApp">')
  if (root?.attributes.xmlns !== 'http://schemas.microsoft.com/office/appforoffice/1.1') problems.push('OfficeApp must be in the appforoffice/1.1 namespace')
  const top = tags.filter((t) => t.depth === 1).map((t) => t.name)
  const positions = top.map((name) => OFFICE_APP_ORDER.indexOf(name as (typeof OFFICE_APP_ORDER)[number]))
  top.forEach((name, i) => {
    if (positions[i] === -1) problems.push(`<${name}> is not a child of <OfficeApp>`)
    else if (i > 0 && (positions[i] as number) <= (positions[i - 1] as number)) problems.push(`<${name}> is out of order: ${OFFICE_APP_ORDER.join(', ')}`)
  })
  for (const name of REQUIRED) if (!top.includes(name)) problems.push(`<${name}> is missing`)
  const text = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? ''
  if (!GUID.test(text('Id'))) problems.push(`<Id> "${text('Id')}" is not a GUID`)
  if (text('Id').toLowerCase() !== config.addInId) problems.push('<Id> must be addInId from the configuration')
  if (text('Id').toLowerCase() === config.appId) problems.push('<Id> must differ from the unified manifest id')
  if (!/^\d{1,5}(\.\d{1,5}){0,3}$/.test(text('Version'))) problems.push(`<Version> "${text('Version')}" is not n.n.n.n`)
  const hosts = tags.filter((t) => t.name === 'Host' && t.parent === 'Hosts' && t.depth === 2).map((t) => t.attributes.Name)
  if (hosts.join() !== 'Workbook') problems.push('<Hosts> must be Excel only (<Host Name="Workbook"/>)')
  // Resources: every resid resolves to exactly one resource of the right kind; ids at most 32 characters.
  const resources = tags.filter((t) => t.parent && ['bt:Images', 'bt:Urls', 'bt:ShortStrings', 'bt:LongStrings'].includes(t.parent))
  const ids = resources.map((t) => t.attributes.id ?? '')
  for (const id of ids) {
    if (ids.filter((x) => x === id).length > 1) problems.push(`resource id ${id} is defined twice`)
    if (id.length === 0 || id.length > 32) problems.push(`resource id "${id}" must be 1 to 32 characters`)
  }
  for (const t of tags.filter((t) => 'resid' in t.attributes)) if (!ids.includes(t.attributes.resid as string)) problems.push(`line ${t.line}: resid ${t.attributes.resid} has no resource`)
  for (const t of resources.filter((t) => t.parent === 'bt:ShortStrings')) if ((t.attributes.DefaultValue ?? '').length > 125) problems.push(`${t.attributes.id}: short strings hold at most 125 characters`)
  for (const t of resources.filter((t) => t.parent === 'bt:LongStrings')) if ((t.attributes.DefaultValue ?? '').length > 250) problems.push(`${t.attributes.id}: long strings hold at most 250 characters`)
  tags.forEach((icon, i) => {
    if (icon.name !== 'Icon') return
    const end = tags.findIndex((t, j) => j > i && t.depth <= icon.depth)
    const sizes = tags.slice(i + 1, end === -1 ? undefined : end).filter((t) => t.name === 'bt:Image').map((t) => t.attributes.size)
    for (const size of ['16', '32', '80']) if (!sizes.includes(size)) problems.push(`line ${icon.line}: <Icon> needs a ${size}px image`)
  })
  // Every URL: https, on the app's host or the publisher's.
  const allowed = new Set([new URL(config.appUrl).host, new URL(config.publisher.websiteUrl).host])
  for (const t of tags) {
    for (const value of Object.values(t.attributes)) {
      if (!/^[a-z]+:\/\//i.test(value) || value.startsWith('http://schemas.microsoft.com/') || value === 'http://www.w3.org/2001/XMLSchema-instance') continue
      if (!value.startsWith('https://')) problems.push(`line ${t.line}: ${value} is not https`)
      else if (!allowed.has(new URL(value).host)) problems.push(`line ${t.line}: ${value} is neither on appUrl nor on the publisher's website`)
    }
  }
  return problems
}

/** Parses the written file with office-addin-manifest (offline) and compares what it read with the configuration. */
export async function validateXmlManifestFile(path: string, config: PackageConfig): Promise<string[]> {
  const problems = checkXmlManifest(readFileSync(path, 'utf8'), config)
  let info: Awaited<ReturnType<typeof OfficeAddinManifest.readManifestFile>>
  try {
    info = await OfficeAddinManifest.readManifestFile(path)
  } catch (error) {
    return [...problems, `office-addin-manifest cannot read it: ${error instanceof Error ? error.message : String(error)}`]
  }
  if (info.id !== config.addInId) problems.push(`office-addin-manifest read Id ${String(info.id)}`)
  if (info.officeAppType !== 'TaskPaneApp') problems.push(`office-addin-manifest read type ${String(info.officeAppType)}`)
  if (JSON.stringify(info.hosts) !== JSON.stringify(['Workbook'])) problems.push(`office-addin-manifest read hosts ${JSON.stringify(info.hosts)}`)
  if (info.defaultSettings?.sourceLocation !== `${config.appUrl}/taskpane.html`) problems.push(`office-addin-manifest read SourceLocation ${String(info.defaultSettings?.sourceLocation)}`)
  if (info.permissions !== 'ReadWriteDocument') problems.push(`office-addin-manifest read Permissions ${String(info.permissions)}`)
  return problems
}
