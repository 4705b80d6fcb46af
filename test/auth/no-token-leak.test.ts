import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'vite'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AuthFailure, createSignIn, msalConfiguration, type SignInHost } from '../../src/auth/sign-in.ts'
import { ADA, FakeMsal, fakeFactories, msalError, SECRET_TOKEN } from './fake-msal.ts'

/**
 * Tokens stay in MSAL's cache: no code path of ours logs or persists one. Checked three ways:
 * the source of src/auth, the built JavaScript (an auth bundle with MSAL, and the pages in dist/),
 * and the auth code run with spies on the console and on storage.
 */

const ROOT = resolve(import.meta.dirname, '../..')
const AUTH = resolve(ROOT, 'src/auth')

/** A console call or a storage/cookie write whose arguments mention a token. */
const LEAKS: { name: string; pattern: RegExp }[] = [
  { name: 'console call with a token', pattern: /console\.(?:log|info|warn|error|debug|trace|dir)\((?:[^()]|\([^()]*\))*?\b(?:accessToken|idToken|refreshToken|rawIdToken|getToken\(|SECRET)\b/g },
  { name: 'storage write with a token', pattern: /(?:localStorage|sessionStorage)\.setItem\((?:[^()]|\([^()]*\))*?\b(?:accessToken|idToken|refreshToken|token)\b/gi },
  { name: 'cookie with a token', pattern: /document\.cookie\s*=(?:[^;])*?\b(?:accessToken|idToken|token)\b/gi },
]

function leaks(code: string): string[] {
  return LEAKS.flatMap(({ name, pattern }) => [...code.matchAll(pattern)].map((m) => `${name}: ${m[0].slice(0, 160)}`))
}

const jsFiles = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f))

let authBundle = ''
let pagesDir = resolve(ROOT, 'dist/assets')
let builtPages: string | null = null

beforeAll(async () => {
  authBundle = mkdtempSync(join(tmpdir(), 'pmw-auth-bundle-'))
  // src/auth with @azure/msal-browser, unminified so variable names survive for the search.
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: { outDir: authBundle, emptyOutDir: true, minify: false, lib: { entry: resolve(AUTH, 'sign-in.ts'), formats: ['es'], fileName: 'auth' } },
  })
  if (!existsSync(pagesDir) || jsFiles(pagesDir).length === 0) {
    // `npm test` builds dist/ first; alone, build the pages here rather than skip.
    builtPages = mkdtempSync(join(tmpdir(), 'pmw-pages-'))
    await build({ configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir: builtPages, emptyOutDir: true } })
    pagesDir = join(builtPages, 'assets')
  }
})

afterAll(() => {
  rmSync(authBundle, { recursive: true, force: true })
  if (builtPages) rmSync(builtPages, { recursive: true, force: true })
})

describe('no token in logs or storage: the code', () => {
  it('the search finds a planted leak of each kind (so an empty result means something)', () => {
    const planted = ['console.log("token", result.accessToken)', 'window.localStorage.setItem("t", token)', 'document.cookie = "t=" + idToken']
    expect(planted.map((p) => leaks(p).length)).toEqual([1, 1, 1])
    expect(leaks('console.log(message); sessionStorage.setItem(key, value)')).toEqual([])
  })

  it('src/auth never touches the console, storage or cookies', () => {
    const offenders = readdirSync(AUTH)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => {
        const code = readFileSync(join(AUTH, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '')
        return [...code.matchAll(/\b(console\.\w+|localStorage|sessionStorage\.\w+|document\.cookie|indexedDB|\.setItem\()/g)].map((m) => `${f}: ${m[0]}`)
      })
    expect(offenders).toEqual([])
  })

  it('the built auth bundle (src/auth with MSAL) logs and stores no token', () => {
    const files = jsFiles(authBundle)
    expect(files.some((f) => readFileSync(f, 'utf8').includes('createNestablePublicClientApplication'))).toBe(true)
    expect(files.flatMap((f) => leaks(readFileSync(f, 'utf8')))).toEqual([])
  })

  it('the built pages (dist/assets/*.js) log and store no token', () => {
    const files = jsFiles(pagesDir)
    expect(files.length).toBeGreaterThan(0)
    expect(files.flatMap((f) => leaks(readFileSync(f, 'utf8')))).toEqual([])
  })

  it("MSAL keeps its cache in sessionStorage and its logger is silent, PII off", () => {
    const config = msalConfiguration({ clientId: 'c', tenantId: 't' }, 'https://h.example/tab.html')
    expect(config.cache).toEqual({ cacheLocation: 'sessionStorage' })
    expect(config.system.loggerOptions.piiLoggingEnabled).toBe(false)
    expect(config.system.loggerOptions.loggerCallback()).toBeUndefined()
  })
})

describe('no token in logs or storage: the code run', () => {
  type Store = { setItem: ReturnType<typeof vi.fn>; getItem: ReturnType<typeof vi.fn>; removeItem: ReturnType<typeof vi.fn>; clear: ReturnType<typeof vi.fn>; key: ReturnType<typeof vi.fn>; length: number }
  const store = (): Store => ({ setItem: vi.fn(), getItem: vi.fn(() => null), removeItem: vi.fn(), clear: vi.fn(), key: vi.fn(() => null), length: 0 })
  let local: Store
  let session: Store
  let cookies: string[]

  beforeAll(() => {
    local = store()
    session = store()
    cookies = []
    vi.stubGlobal('localStorage', local)
    vi.stubGlobal('sessionStorage', session)
    vi.stubGlobal('document', {
      set cookie(value: string) {
        cookies.push(value)
      },
      get cookie() {
        return ''
      },
    })
  })
  afterEach(() => vi.restoreAllMocks())
  afterAll(() => vi.unstubAllGlobals())

  it('sign-in in every host, success and failure, writes nothing to the console, storage or cookies', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}))
    const seen: unknown[] = []
    const hosts: SignInHost[] = [{ kind: 'teams', naa: true, loginHint: ADA.username }, { kind: 'office', naa: true }, { kind: 'browser', topLevel: true }, { kind: 'teams', naa: false }]
    for (const host of hosts) {
      const msal = new FakeMsal()
      msal.redirectResult = { accessToken: SECRET_TOKEN, account: ADA }
      const signIn = createSignIn({
        config: { clientId: '0b7c3a52-8f7e-4d6b-9c1a-2f4e5d6c7b8a', tenantId: 'riverbend.onmicrosoft.com', permission: 'Files.ReadWrite.All' },
        graphBaseUrl: 'https://graph.microsoft.com/v1.0',
        host,
        pageUrl: 'https://plan.riverbend.example/tab.html',
        msal: fakeFactories(msal),
      })
      seen.push(await signIn.start(), await signIn.signIn(), signIn.account(), signIn.problem())
      seen.push(await signIn.getToken().catch((e: unknown) => e))
      msal.silentError = msalError('invalid_grant', `AADSTS65001: consent; token ${SECRET_TOKEN}`)
      msal.popupError = msalError('user_cancelled')
      seen.push(await signIn.getToken().catch((e: unknown) => e), signIn.problem(), await signIn.signIn())
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    expect(local.setItem).not.toHaveBeenCalled()
    expect(session.setItem).not.toHaveBeenCalled()
    expect(cookies).toEqual([])
    // What the page can get hold of, apart from getToken's own answer: results, problems, errors.
    const exposed = seen.filter((v) => v !== SECRET_TOKEN)
    expect(exposed.some((v) => v instanceof AuthFailure)).toBe(true)
    const text = exposed.map((v) => (v instanceof Error ? `${v.name} ${v.message} ${JSON.stringify(v)} ${String(v.stack)}` : JSON.stringify(v))).join('\n')
    expect(text).not.toContain('SECRET-ACCESS-TOKEN')
  })
})
