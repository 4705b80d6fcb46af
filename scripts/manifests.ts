import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { graphScopes } from '../src/auth/scopes.ts'
import type { PackageConfig } from './package-config.ts'

/**
 * Fills manifest/manifest.template.json (the unified manifest) and manifest/addin.template.xml
 * (the add-in-only manifest) from the configuration. Every ID and URL in the output comes from
 * here: `{{name}}` placeholders, and in a JSON array the lone string "{{scopes}}", which becomes
 * the scopes the pages request (src/auth/scopes.ts), in their order.
 */
export const MANIFEST_DIR = resolve(import.meta.dirname, '../manifest')

export type Values = Record<string, string>

export function manifestValues(config: PackageConfig): Values {
  const app = new URL(config.appUrl)
  const personalTab = new URL(`${config.appUrl}/tab.html`)
  if (config.defaultWorkbook) personalTab.searchParams.set('workbook', config.defaultWorkbook)
  return {
    appUrl: config.appUrl,
    appHost: app.host,
    appId: config.appId,
    addInId: config.addInId,
    clientId: config.clientId,
    version: config.version,
    xmlVersion: `${config.version}.0`,
    publisherName: config.publisher.name,
    websiteUrl: config.publisher.websiteUrl,
    privacyUrl: config.publisher.privacyUrl,
    termsOfUseUrl: config.publisher.termsOfUseUrl,
    personalTabUrl: personalTab.href,
  }
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g

function fill(text: string, values: Values, escape: (value: string) => string = (v) => v): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`manifest template: no value for {{${name}}}`)
    return escape(value)
  })
}

function fillJson(node: unknown, values: Values, scopes: readonly string[]): unknown {
  if (typeof node === 'string') return fill(node, values)
  if (Array.isArray(node)) return node.flatMap((item) => (item === '{{scopes}}' ? [...scopes] : [fillJson(item, values, scopes)]))
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillJson(v, values, scopes)]))
  return node
}

export function renderUnifiedManifest(config: PackageConfig, template = readFileSync(resolve(MANIFEST_DIR, 'manifest.template.json'), 'utf8')): Record<string, unknown> {
  return fillJson(JSON.parse(template), manifestValues(config), graphScopes(config.permission)) as Record<string, unknown>
}

const xmlEscape = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')

export function renderXmlManifest(config: PackageConfig, template = readFileSync(resolve(MANIFEST_DIR, 'addin.template.xml'), 'utf8')): string {
  return fill(template, manifestValues(config), xmlEscape)
}
