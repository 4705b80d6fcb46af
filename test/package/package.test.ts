import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import JSZip from 'jszip'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseAppConfig } from '../../src/auth/config.ts'
import { renderUnifiedManifest } from '../../scripts/manifests.ts'
import { main, readConfigFile } from '../../scripts/package.ts'
import { readPngHeader } from '../../scripts/png.ts'
import { validateUnifiedManifest } from '../../scripts/validate.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const EXAMPLE_FILE = resolve(ROOT, 'pm-workbook.config.example.json')
const EXAMPLE = JSON.parse(readFileSync(EXAMPLE_FILE, 'utf8')) as Record<string, unknown>

const work = mkdtempSync(join(tmpdir(), 'pmw-package-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
afterEach(() => vi.restoreAllMocks())

let n = 0
/** A config file holding `value`, and an output folder with built pages (tab.html, taskpane.html) unless `built` is false. */
function setUp(value: unknown, options: { built?: boolean } = {}): { file: string; out: string } {
  const dir = join(work, String(++n))
  const out = join(dir, 'dist')
  mkdirSync(out, { recursive: true })
  if (options.built !== false) for (const page of ['tab.html', 'taskpane.html']) writeFileSync(join(out, page), '<!doctype html>')
  const file = join(dir, 'pm-workbook.config.json')
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return { file, out }
}

/** Runs `npm run package` (its main) and returns exit code, stdout, stderr. */
async function run(argv: string[], out: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = []
  const stderr: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')))
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')))
  const code = await main(argv, out)
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }
}

describe('npm run package: the configuration', () => {
  it('package.json runs the build, then scripts/package.ts; build still builds pages and CLI', () => {
    const { scripts } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(scripts.package).toBe('npm run build && tsx scripts/package.ts')
    expect(scripts.build).toBe('vite build && npm run build:cli')
  })

  it.each([
    ['a missing client id', { clientId: undefined }, /^ {2}clientId: missing: the Application \(client\) ID/m],
    ['a client id that is not a GUID', { clientId: 'pm-workbook' }, /^ {2}clientId: "pm-workbook" is not a GUID/m],
    ['a non-https app URL', { appUrl: 'http://plan.riverbend.example/pm-workbook' }, /^ {2}appUrl: "http:\/\/plan\.riverbend\.example\/pm-workbook" must start with https:\/\//m],
    ['an app URL with a query', { appUrl: 'https://plan.riverbend.example/?x=1' }, /^ {2}appUrl: .* without \?query/m],
    ['a missing tenant', { tenantId: undefined }, /^ {2}tenantId: missing/m],
    ['the common tenant', { tenantId: 'common' }, /^ {2}tenantId: "common" lets other organisations/m],
    ['a non-https default workbook', { defaultWorkbook: 'http://riverbend.sharepoint.com/x' }, /^ {2}defaultWorkbook: .* must start with https:\/\//m],
    ['a missing default workbook', { defaultWorkbook: undefined }, /^ {2}defaultWorkbook: missing: .* or null/m],
    ['an unknown permission', { permission: 'Sites.ReadWrite.All' }, /^ {2}permission: "Sites.ReadWrite.All" is not one of Files.ReadWrite, Files.ReadWrite.All, Sites.Selected/m],
    ['Files.ReadWrite for a SharePoint workbook', { permission: 'Files.ReadWrite' }, /^ {2}permission: Files.ReadWrite reaches only/m],
    ['the same GUID twice', { addInId: '6f1d2c3b-4a59-4e8d-9b7a-1c2d3e4f5a6b' }, /^ {2}addInId: must differ from appId/m],
    ['a misspelt field', { clientID: 'x' }, /^ {2}clientID: unknown field \(did you mean clientId\?\)/m],
    ['a non-https privacy page', { publisher: { name: 'R', privacyUrl: 'http://r.example/p' } }, /^ {2}publisher\.privacyUrl: .* must start with https:\/\//m],
    ['a bad version', { version: '1.0' }, /^ {2}version: "1.0" is not n.n.n/m],
  ])('%s stops it with a message naming the field, and writes nothing', async (_, change, message) => {
    const { file, out } = setUp({ ...EXAMPLE, ...change })
    const result = await run(['--config', file], out)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used:`))
    expect(result.stderr).toMatch(message)
    expect(result.stdout).toBe('')
    expect(readdirSync(out).sort()).toEqual(['tab.html', 'taskpane.html'])
  })

  it('a missing file, and a file that is not JSON, are named', async () => {
    const { file, out } = setUp('{ "clientId": ')
    expect((await run(['--config', join(work, 'nope.json')], out)).stderr).toMatch(/nope\.json does not exist\. Copy pm-workbook\.config\.example\.json/)
    expect((await run(['--config', file], out)).stderr).toMatch(/pm-workbook\.config\.json is not valid JSON/)
  })

  it('without built pages it says to build first', async () => {
    const { file, out } = setUp(EXAMPLE, { built: false })
    const result = await run([file], out)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/tab\.html is missing: run npm run build first/)
  })
})

describe('npm run package: with the example configuration', () => {
  let out = ''
  let result = { code: -1, stdout: '', stderr: '' }
  beforeAll(async () => {
    const set = setUp(EXAMPLE)
    out = set.out
    writeFileSync(set.file, readFileSync(EXAMPLE_FILE))
    result = await run(['--config', set.file], out)
    vi.restoreAllMocks()
  })

  it('succeeds and prints where the package, the XML manifest and the pages are, and the redirect URIs', () => {
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const zip = join(out, 'package/pm-workbook.zip')
    const xml = join(out, 'package/pm-workbook.xml')
    expect(existsSync(zip) && existsSync(xml)).toBe(true)
    for (const line of [
      'pm-workbook 0.1.0 for https://plan.riverbend.example/pm-workbook (tenant riverbend.onmicrosoft.com, client 0b7c3a52-8f7e-4d6b-9c1a-2f4e5d6c7b8a)',
      'unified manifest 1.24, valid against its official schema, checked offline',
      'brk-multihub://plan.riverbend.example',
      'https://plan.riverbend.example/pm-workbook/tab.html',
      'https://plan.riverbend.example/pm-workbook/taskpane.html',
      'Microsoft Graph, delegated: Files.ReadWrite.All',
    ]) {
      expect(result.stdout).toContain(line)
    }
    expect(result.stdout).toMatch(/package[/\\]pm-workbook\.zip/)
    expect(result.stdout).toMatch(/package[/\\]pm-workbook\.xml/)
  })

  it('the zip holds manifest.json and the two icons at their sizes, and its manifest validates', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(out, 'package/pm-workbook.zip')))
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png'])
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>
    const config = readConfigFile(EXAMPLE_FILE)
    expect(manifest).toEqual(renderUnifiedManifest(config))
    expect(await validateUnifiedManifest(manifest, config)).toEqual([])
    expect(manifest.icons).toEqual({ outline: 'outline.png', color: 'color.png' })
    expect(readPngHeader(await zip.file('color.png')!.async('uint8array'))).toMatchObject({ width: 192, height: 192 })
    expect(readPngHeader(await zip.file('outline.png')!.async('uint8array'))).toMatchObject({ width: 32, height: 32 })
  })

  it('writes the hosted icons and app-config.json beside the pages', () => {
    expect(readdirSync(join(out, 'icons')).sort()).toEqual(['icon-16.png', 'icon-32.png', 'icon-64.png', 'icon-80.png'])
    for (const size of [16, 32, 64, 80]) expect(readPngHeader(readFileSync(join(out, `icons/icon-${size}.png`)))).toMatchObject({ width: size, height: size })
    const appConfig = JSON.parse(readFileSync(join(out, 'app-config.json'), 'utf8')) as unknown
    expect(parseAppConfig(appConfig)).toEqual({
      ok: true,
      value: { clientId: EXAMPLE.clientId, tenantId: EXAMPLE.tenantId, permission: 'Files.ReadWrite.All', defaultWorkbook: EXAMPLE.defaultWorkbook },
    })
  })
})
