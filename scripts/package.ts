/**
 * `npm run package [-- --config FILE]`: builds the pages, then writes what a district installs:
 *
 * - dist/package/pm-workbook.zip: the app package for the Teams admin center and the Microsoft 365
 *   admin center (manifest.json, color.png 192×192, outline.png 32×32);
 * - dist/package/pm-workbook.xml: the add-in-only manifest of the Excel task pane, for Office that
 *   does not read the unified manifest (upload it in the Microsoft 365 admin center);
 * - dist/app-config.json and dist/icons/: served beside the pages (sign-in settings; the ribbon and
 *   add-in icons, which manifests can only reference by https URL).
 *
 * Both manifests are validated offline first (scripts/validate.ts); nothing is written when the
 * configuration or a manifest has a problem, and the message names the field.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import JSZip from 'jszip'
import { APP_CONFIG_FILE, type AppConfig } from '../src/auth/config.ts'
import { graphScopes, PERMISSION_REASONS } from '../src/auth/scopes.ts'
import { ICONS } from './icon-list.ts'
import { renderUnifiedManifest, renderXmlManifest } from './manifests.ts'
import { describeProblems, parsePackageConfig, type PackageConfig } from './package-config.ts'
import { readPngHeader } from './png.ts'
import { MANIFEST_VERSION, validateUnifiedManifest, validateXmlManifestFile } from './validate.ts'

const ROOT = resolve(import.meta.dirname, '..')
export const ASSETS_DIR = resolve(ROOT, 'assets')

export class PackageError extends Error {}

export type PackageResult = {
  zip: string
  xml: string
  appConfig: string
  icons: string[]
  /** The Single-page application redirect URIs the app registration must list. */
  redirectUris: string[]
  scopes: readonly string[]
}

function icon(file: string, size: number): Buffer {
  const png = readFileSync(resolve(ASSETS_DIR, file))
  const { width, height } = readPngHeader(png)
  if (width !== size || height !== size) throw new PackageError(`assets/${file} is ${width}×${height}, not ${size}×${size}: run npx tsx scripts/icons.ts`)
  return png
}

export function redirectUris(config: Pick<PackageConfig, 'appUrl'>): string[] {
  return [`brk-multihub://${new URL(config.appUrl).host}`, `${config.appUrl}/tab.html`, `${config.appUrl}/taskpane.html`]
}

/** Writes the package under `outDir` (dist/). Throws PackageError, having written nothing, when a manifest is invalid. */
export async function buildPackage(config: PackageConfig, outDir: string): Promise<PackageResult> {
  const manifest = renderUnifiedManifest(config)
  const unifiedProblems = await validateUnifiedManifest(manifest, config)
  if (unifiedProblems.length) throw new PackageError(['manifest.json is not valid:', ...unifiedProblems.map((p) => `  ${p}`)].join('\n'))

  const packageDir = resolve(outDir, 'package')
  mkdirSync(packageDir, { recursive: true })
  const xml = resolve(packageDir, 'pm-workbook.xml')
  writeFileSync(xml, renderXmlManifest(config))
  const xmlProblems = await validateXmlManifestFile(xml, config)
  if (xmlProblems.length) {
    rmSync(xml)
    throw new PackageError(['pm-workbook.xml is not valid:', ...xmlProblems.map((p) => `  ${p}`)].join('\n'))
  }

  // A fixed date keeps the zip the same for the same configuration.
  const date = new Date(Date.UTC(2020, 0, 1))
  const zip = new JSZip()
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date })
  zip.file('color.png', icon(ICONS.color.file, ICONS.color.size), { date })
  zip.file('outline.png', icon(ICONS.outline.file, ICONS.outline.size), { date })
  const zipPath = resolve(packageDir, 'pm-workbook.zip')
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' }))

  const iconsDir = resolve(outDir, 'icons')
  mkdirSync(iconsDir, { recursive: true })
  const hosted = [ICONS.hosted16, ICONS.hosted32, ICONS.hosted64, ICONS.hosted80].map(({ file, size }) => {
    const path = resolve(iconsDir, file)
    writeFileSync(path, icon(file, size))
    return path
  })
  const appConfig: AppConfig = { clientId: config.clientId, tenantId: config.tenantId, permission: config.permission, defaultWorkbook: config.defaultWorkbook }
  const appConfigPath = resolve(outDir, APP_CONFIG_FILE)
  writeFileSync(appConfigPath, `${JSON.stringify(appConfig, null, 2)}\n`)
  return { zip: zipPath, xml, appConfig: appConfigPath, icons: hosted, redirectUris: redirectUris(config), scopes: graphScopes(config.permission) }
}

/** What `npm run package` prints: where everything is and what the administrator does with it. */
export function summary(config: PackageConfig, result: PackageResult, outDir: string, cwd = process.cwd()): string {
  const at = (path: string) => relative(cwd, path) || '.'
  return [
    `pm-workbook ${config.version} for ${config.appUrl} (tenant ${config.tenantId}, client ${config.clientId})`,
    '',
    `${at(result.zip)}`,
    `    the app package: manifest.json (unified manifest ${MANIFEST_VERSION}, valid against its official schema, checked offline), color.png, outline.png.`,
    '    Upload it in the Teams admin center (Teams apps, Manage apps, Upload new app) or the Microsoft 365 admin center (Integrated apps).',
    `${at(result.xml)}`,
    '    the add-in-only manifest of the Excel task pane, for perpetual Office (structure checked offline).',
    '    Deploy it in the Microsoft 365 admin center (Integrated apps, Upload custom apps, Office Add-in).',
    `${at(outDir)}/`,
    `    the pages: upload tab.html, taskpane.html, assets/, icons/ and ${APP_CONFIG_FILE} to ${config.appUrl}/`,
    '    (index.html is the local start page; package/, cli/ and cli.mjs are not for the web host).',
    '',
    'The app registration (Microsoft Entra admin center, App registrations) needs:',
    '  Authentication, Single-page application redirect URIs:',
    ...result.redirectUris.map((uri) => `    ${uri}`),
    `  API permissions, Microsoft Graph, delegated: ${result.scopes.join(', ')}`,
    `    (${PERMISSION_REASONS[config.permission]})`,
  ].join('\n')
}

function argument(argv: readonly string[]): string {
  const at = argv.indexOf('--config')
  if (at !== -1) {
    const file = argv[at + 1]
    if (!file) throw new PackageError('--config needs a file name')
    return file
  }
  return argv.find((a) => !a.startsWith('-')) ?? 'pm-workbook.config.json'
}

export function readConfigFile(file: string): PackageConfig {
  if (!existsSync(file)) {
    throw new PackageError(`${file} does not exist. Copy pm-workbook.config.example.json to ${file} and fill in your district's values (README, "Install in Microsoft 365"), or pass --config FILE.`)
  }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new PackageError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  const version = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const parsed = parsePackageConfig(json, { version })
  if (!parsed.ok) throw new PackageError(describeProblems(file, parsed.problems))
  return parsed.value
}

export async function main(argv: readonly string[], outDir = resolve(ROOT, 'dist')): Promise<number> {
  try {
    const file = argument(argv)
    const config = readConfigFile(file)
    for (const page of ['tab.html', 'taskpane.html']) {
      if (!existsSync(resolve(outDir, page))) throw new PackageError(`${relative(process.cwd(), resolve(outDir, page))} is missing: run npm run build first (npm run package does).`)
    }
    const result = await buildPackage(config, outDir)
    console.log(summary(config, result, outDir))
    if (dirname(resolve(file)) === ROOT && file.endsWith('.example.json')) {
      console.log('\nThis is the example configuration: its IDs are placeholders, so nobody can sign in with this package.')
    }
    return 0
  } catch (error) {
    if (!(error instanceof PackageError)) throw error
    console.error(error.message)
    return 1
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exitCode = await main(process.argv.slice(2))
