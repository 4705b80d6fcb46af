import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { AppManifestUtils, type TeamsManifest } from '@microsoft/app-manifest'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GRAPH_PERMISSIONS, type GraphPermission } from '../../src/auth/scopes.ts'
import { createSignIn } from '../../src/auth/sign-in.ts'
import { renderUnifiedManifest, renderXmlManifest } from '../../scripts/manifests.ts'
import { readConfigFile } from '../../scripts/package.ts'
import type { PackageConfig } from '../../scripts/package-config.ts'
import { checkXmlManifest, localTeamsSchema, MANIFEST_VERSION, OFFICE_APP_ORDER, validateUnifiedManifest, validateXmlManifestFile } from '../../scripts/validate.ts'
import { FakeMsal, fakeFactories } from '../auth/fake-msal.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const EXAMPLE = readConfigFile(resolve(ROOT, 'pm-workbook.config.example.json'))

/** A second district, every value different from the example, to show each one comes from the configuration. */
const OTHER: PackageConfig = {
  clientId: '11111111-2222-4333-8444-555555555555',
  tenantId: '9d2f7c1e-0a3b-4c5d-8e6f-7a8b9c0d1e2f',
  permission: 'Sites.Selected',
  defaultWorkbook: null,
  appUrl: 'https://apps.lakeside.example:8443',
  appId: '22222222-3333-4444-8555-666666666666',
  addInId: '33333333-4444-4555-8666-777777777777',
  version: '2.3.4',
  publisher: { name: 'Lakeside Unified', websiteUrl: 'https://lakeside.example', privacyUrl: 'https://lakeside.example/p', termsOfUseUrl: 'https://lakeside.example/t' },
}

// Manifests are read loosely here: the schema check is what holds their shape.
type Json = Record<string, any>

const unified = (config: PackageConfig) => renderUnifiedManifest(config) as Json

// Validation must not need the network: any fetch fails the test.
beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.reject(new Error('offline: the manifest checks must not fetch'))),
  )
})
afterEach(() => vi.unstubAllGlobals())

describe('unified manifest (manifest/manifest.template.json)', () => {
  it(`uses GA manifest version ${MANIFEST_VERSION}, whose official schema @microsoft/app-manifest ships`, () => {
    const manifest = unified(EXAMPLE)
    expect(manifest.manifestVersion).toBe('1.24')
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json')
    // learn.microsoft.com microsoft-365/extensibility/schema/root-web-application-info-nested-app-auth-info: nestedAppAuthInfo from 1.22.
    const schema = localTeamsSchema('1.24') as Json
    expect(schema.properties.manifestVersion.const).toBe('1.24')
    expect(Object.keys(schema.properties.webApplicationInfo.properties)).toContain('nestedAppAuthInfo')
  })

  it.each([
    ['the example configuration', EXAMPLE],
    ['another district', OTHER],
  ])('with %s it validates against the official schema of its version, offline', async (_, config) => {
    expect(await validateUnifiedManifest(unified(config), config)).toEqual([])
    // The library resolves the $schema URL to its own copy too, without fetching.
    expect(await AppManifestUtils.validateAgainstSchema(unified(config) as unknown as TeamsManifest)).toEqual([])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('the schema check catches what it should (a missing developer, a bad GUID, devPreview, http)', async () => {
    const noDeveloper = unified(EXAMPLE)
    delete noDeveloper.developer
    expect((await validateUnifiedManifest(noDeveloper, EXAMPLE)).join('\n')).toMatch(/schema: .*developer/)
    const badId = { ...unified(EXAMPLE), id: 'not-a-guid' }
    expect((await validateUnifiedManifest(badId, EXAMPLE)).join('\n')).toMatch(/schema: \/id/)
    const preview = { ...unified(EXAMPLE), manifestVersion: 'devPreview', $schema: 'https://developer.microsoft.com/json-schemas/teams/vDevPreview/MicrosoftTeams.schema.json' }
    expect(await validateUnifiedManifest(preview, EXAMPLE)).toEqual([expect.stringContaining('GA version of at least 1.22')])
    // The schema's httpsUrl pattern accepts http (`^[Hh][Tt][Tt][Pp][Ss]?://`); Teams and Office do not.
    const http = unified(EXAMPLE)
    http.staticTabs[0].contentUrl = 'http://plan.riverbend.example/pm-workbook/tab.html'
    expect(await validateUnifiedManifest(http, EXAMPLE)).toEqual(['staticTabs[0].contentUrl: "http://plan.riverbend.example/pm-workbook/tab.html" is not https'])
  })

  it('a personal tab (tab.html, opening the default workbook) and a configurable channel tab (tab.html#/configure)', () => {
    const manifest = unified(EXAMPLE)
    const workbook = encodeURIComponent(EXAMPLE.defaultWorkbook ?? '')
    expect(manifest.staticTabs).toEqual([
      {
        entityId: 'plan',
        name: 'Plan',
        contentUrl: `https://plan.riverbend.example/pm-workbook/tab.html?workbook=${workbook}`,
        websiteUrl: `https://plan.riverbend.example/pm-workbook/tab.html?workbook=${workbook}`,
        scopes: ['personal'],
        context: ['personalTab'],
      },
    ])
    expect(manifest.configurableTabs).toEqual([
      expect.objectContaining({ configurationUrl: 'https://plan.riverbend.example/pm-workbook/tab.html#/configure', scopes: ['team', 'groupChat'], canUpdateConfiguration: true }),
    ])
    expect(unified(OTHER).staticTabs[0].contentUrl).toBe('https://apps.lakeside.example:8443/tab.html')
  })

  it('the Excel task pane with a ribbon button in extensions, scope workbook', () => {
    const [extension] = unified(EXAMPLE).extensions
    expect(extension.requirements).toEqual({ scopes: ['workbook'] })
    const [runtime] = extension.runtimes
    expect(runtime.code).toEqual({ page: 'https://plan.riverbend.example/pm-workbook/taskpane.html' })
    const [action] = runtime.actions
    expect(action.type).toBe('openPage')
    const group = extension.ribbons[0].tabs[0].groups[0]
    const [button] = group.controls
    expect(button).toMatchObject({ type: 'button', label: 'My action steps', actionId: action.id })
    // extensionCommonIcon: "Three image sizes are required (16, 32, and 80 pixels)", absolute https URLs.
    expect(button.icons.map((i: Json) => [i.size, i.url])).toEqual([16, 32, 80].map((s) => [s, `https://plan.riverbend.example/pm-workbook/icons/icon-${s}.png`]))
  })

  it('links the add-in-only manifest through extensions[].alternates (hide.customOfficeAddin)', () => {
    // office-js-docs-pr docs/concepts/duplicate-legacy-metaos-add-ins.md: customOfficeAddin.officeAddinId = the XML add-in's <Id>.
    const { alternates } = unified(EXAMPLE).extensions[0]
    expect(alternates).toContainEqual({ hide: { customOfficeAddin: { officeAddinId: EXAMPLE.addInId } } })
    expect(EXAMPLE.addInId).not.toBe(EXAMPLE.appId)
    expect(renderXmlManifest(EXAMPLE)).toContain(`<Id>${EXAMPLE.addInId}</Id>`)
  })

  it.each(GRAPH_PERMISSIONS)('webApplicationInfo.nestedAppAuthInfo repeats exactly what the pages request with %s', async (permission: GraphPermission) => {
    // "all fields inside nestedAppAuthInfo must exactly match the parameters used in the app's runtime NAA token request"
    // (msteams-docs msteams-platform/concepts/authentication/nested-authentication.md, "Token prefetching").
    const config = { ...EXAMPLE, permission, defaultWorkbook: null }
    const web = unified(config).webApplicationInfo
    const msal = new FakeMsal()
    const factories = fakeFactories(msal)
    await createSignIn({ config, graphBaseUrl: 'https://graph.microsoft.com/v1.0', host: { kind: 'teams', naa: true }, pageUrl: `${config.appUrl}/tab.html`, msal: factories }).start()
    expect(web.id).toBe(config.clientId)
    expect(web.nestedAppAuthInfo).toEqual([{ redirectUri: factories.used[0]?.configuration.auth.redirectUri, scopes: msal.calls[0]?.request?.scopes }])
    expect(web.nestedAppAuthInfo[0].redirectUri).toBe('brk-multihub://plan.riverbend.example')
  })

  it('every ID and URL comes from the configuration, and validDomains is the app host', () => {
    for (const config of [EXAMPLE, OTHER]) {
      const text = JSON.stringify(unified(config))
      expect(text).not.toContain('{{')
      const guids = new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi))
      expect([...guids].sort()).toEqual([config.appId, config.clientId, config.addInId].sort())
      const urls = (text.match(/"(https?|brk-multihub):\/\/[^"]+"/g) ?? []).map((u) => JSON.parse(u) as string).filter((u) => !u.startsWith('https://developer.microsoft.com/json-schemas/'))
      const from = [config.appUrl, `brk-multihub://${new URL(config.appUrl).host}`, config.publisher.websiteUrl, config.publisher.privacyUrl, config.publisher.termsOfUseUrl]
      expect(urls.filter((u) => !from.some((f) => u === f || u.startsWith(`${f}/`)))).toEqual([])
      expect(unified(config).validDomains).toEqual([new URL(config.appUrl).host])
    }
  })
})

describe('add-in-only XML manifest (manifest/addin.template.xml)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmw-xml-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it.each([
    ['the example configuration', EXAMPLE],
    ['another district', OTHER],
  ])('with %s it passes the offline checks and office-addin-manifest reads it back', async (_, config) => {
    const file = join(dir, `${config.appId}.xml`)
    writeFileSync(file, renderXmlManifest(config))
    expect(await validateXmlManifestFile(file, config)).toEqual([])
    expect(fetch).not.toHaveBeenCalled()
  })

  it('declares the task pane for Excel, with a ribbon button on the Home tab, every URL from the configuration', () => {
    const xml = renderXmlManifest(OTHER)
    expect(xml).not.toContain('{{')
    expect(xml).toContain('<Host Name="Workbook"/>')
    expect(xml).toContain('<SourceLocation DefaultValue="https://apps.lakeside.example:8443/taskpane.html"/>')
    expect(xml).toContain('<Action xsi:type="ShowTaskpane">')
    expect(xml).toContain('<OfficeTab id="TabHome">')
    expect(xml).toContain('<Version>2.3.4.0</Version>')
    const urls = [...xml.matchAll(/"(https:\/\/[^"]+)"/g)].map((m) => m[1] as string)
    expect(urls.length).toBeGreaterThan(5)
    expect(urls.filter((u) => !u.startsWith(OTHER.appUrl) && !u.startsWith(OTHER.publisher.websiteUrl))).toEqual([])
    // XML-escaped values: a publisher name with & < " stays well formed.
    const tricky = { ...OTHER, publisher: { ...OTHER.publisher, name: 'A & B <"Schools">' } }
    expect(checkXmlManifest(renderXmlManifest(tricky), tricky)).toEqual([])
  })

  it('the checks catch order, unresolved resids, http URLs, broken tags and a wrong Id', () => {
    const xml = renderXmlManifest(EXAMPLE)
    const reordered = xml.replace(/(\s*<Permissions>ReadWriteDocument<\/Permissions>)/, '').replace('<Hosts>\n    <Host Name="Workbook"/>', '<Permissions>ReadWriteDocument</Permissions>\n  <Hosts>\n    <Host Name="Workbook"/>')
    expect(checkXmlManifest(reordered, EXAMPLE)).toContainEqual(expect.stringContaining('<Hosts> is out of order'))
    expect(checkXmlManifest(xml.replace('resid="Button.Tooltip"', 'resid="Button.Nope"'), EXAMPLE)).toContainEqual(expect.stringContaining('resid Button.Nope has no resource'))
    expect(checkXmlManifest(xml.replace('https://plan.riverbend.example/pm-workbook/taskpane.html"/>\n  </DefaultSettings>', 'http://plan.riverbend.example/pm-workbook/taskpane.html"/>\n  </DefaultSettings>'), EXAMPLE)).toContainEqual(
      expect.stringContaining('is not https'),
    )
    expect(checkXmlManifest(xml.replace('</Hosts>', '</Host>'), EXAMPLE)).toContainEqual(expect.stringContaining('closes'))
    expect(checkXmlManifest(xml, { ...EXAMPLE, addInId: OTHER.addInId })).toContainEqual('<Id> must be addInId from the configuration')
    expect(checkXmlManifest(xml.replace(/<bt:Image size="80" resid="Icon.80"\/>\n\s*<\/Icon>\n\s*<Action/, '</Icon>\n<Action'), EXAMPLE)).toContainEqual(expect.stringContaining('needs a 80px image'))
  })

  it('keeps the documented element order of <OfficeApp>', () => {
    // office-js-docs-pr docs/develop/manifest-element-ordering.md, "Basic task pane add-in element ordering".
    const top = [...renderXmlManifest(EXAMPLE).matchAll(/^ {2}<(\w+)/gm)].map((m) => m[1] as string)
    const order = top.map((t) => OFFICE_APP_ORDER.indexOf(t as (typeof OFFICE_APP_ORDER)[number]))
    expect(order.every((p, i) => p >= 0 && (i === 0 || p > (order[i - 1] as number)))).toBe(true)
  })
})
