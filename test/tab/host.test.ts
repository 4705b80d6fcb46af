import { afterEach, describe, expect, it, vi } from 'vitest'
import { detectHost, type Host, type TabConfig } from '../../src/tab/host.ts'

type Load = NonNullable<NonNullable<Parameters<typeof detectHost>[1]>['load']>
type TeamsJs = Awaited<ReturnType<Load>>
type TeamsHost = Extract<Host, { kind: 'teams' }>

type Context = { app: { theme: string }; page: { frameContext: string; subPageId?: string }; user?: { userPrincipalName?: string } }
type SaveEvent = { notifySuccess: () => void; notifyFailure: (reason?: string) => void }

const CONTENT: Context = { app: { theme: 'dark' }, page: { frameContext: 'content', subPageId: 'wig/WIG-04' }, user: { userPrincipalName: 'a@b.example' } }
const never = <T>(): Promise<T> => new Promise<T>(() => undefined)

/** The members of teams-js that host.ts touches, with spies to see what it told Teams. */
function fakeTeams(options: { initialize?: () => Promise<void>; context?: () => Promise<Context>; setConfig?: () => Promise<void> } = {}) {
  let themeHandler: ((theme: string) => void) | null = null
  let saveHandler: ((event: SaveEvent) => void) | null = null
  const app = {
    initialize: vi.fn(options.initialize ?? (() => Promise.resolve())),
    getContext: vi.fn(options.context ?? (() => Promise.resolve(CONTENT))),
    notifySuccess: vi.fn(),
    registerOnThemeChangeHandler: vi.fn((handler: (theme: string) => void) => {
      themeHandler = handler
    }),
  }
  const config = {
    registerOnSaveHandler: vi.fn((handler: (event: SaveEvent) => void) => {
      saveHandler = handler
    }),
    setConfig: vi.fn(options.setConfig ?? (() => Promise.resolve())),
    setValidityState: vi.fn(),
  }
  return {
    app,
    config,
    load: vi.fn(() => Promise.resolve({ app, pages: { config } } as unknown as TeamsJs)),
    changeTheme: (theme: string) => themeHandler?.(theme),
    save: (event: SaveEvent) => saveHandler?.(event),
  }
}

function teams(host: Host): TeamsHost {
  if (host.kind !== 'teams') throw new Error(`expected a Teams host, got ${host.kind}`)
  return host
}

afterEach(() => {
  vi.useRealTimers()
})

describe('detectHost: a plain page', () => {
  it('is a browser page when not framed, without loading teams-js', async () => {
    const fake = fakeTeams()
    expect(await detectHost(false, { load: fake.load })).toEqual({ kind: 'browser' })
    expect(fake.load).not.toHaveBeenCalled()
  })

  it('is a browser page when teams-js cannot be loaded', async () => {
    const load: Load = () => Promise.reject(new Error('chunk failed to load'))
    expect(await detectHost(true, { load })).toEqual({ kind: 'browser' })
  })

  it('falls back to a browser page once the wait is over when a frame other than Teams never answers', async () => {
    vi.useFakeTimers()
    const fake = fakeTeams({ initialize: never })
    let host: Host | null = null
    void detectHost(true, { load: fake.load, waitMs: 4000 }).then((h) => {
      host = h
    })
    await vi.advanceTimersByTimeAsync(3999)
    expect(host).toBeNull()
    await vi.advanceTimersByTimeAsync(1)
    expect(host).toEqual({ kind: 'browser' })
    expect(fake.app.notifySuccess).not.toHaveBeenCalled()
  })

  it('also falls back when Teams initializes but never gives its context', async () => {
    vi.useFakeTimers()
    const fake = fakeTeams({ context: never })
    const detected = detectHost(true, { load: fake.load, waitMs: 500 })
    await vi.advanceTimersByTimeAsync(500)
    expect(await detected).toEqual({ kind: 'browser' })
  })

  it('is a browser page when Teams refuses to initialize', async () => {
    const fake = fakeTeams({ initialize: () => Promise.reject(new Error('not in Teams')) })
    expect(await detectHost(true, { load: fake.load })).toEqual({ kind: 'browser' })
  })
})

describe('detectHost: inside Teams', () => {
  it('takes the theme, the deep-linked page and the user from the context, and tells Teams the tab loaded', async () => {
    const fake = fakeTeams()
    const host = teams(await detectHost(true, { load: fake.load, waitMs: 4000 }))
    expect(host).toMatchObject({ kind: 'teams', theme: 'dark', subPageId: 'wig/WIG-04', userName: 'a@b.example', configuring: false })
    expect(fake.app.notifySuccess).toHaveBeenCalledTimes(1)
    expect(fake.config.registerOnSaveHandler).not.toHaveBeenCalled()
  })

  it('an unknown theme, no deep link and no user read as the defaults', async () => {
    const fake = fakeTeams({ context: () => Promise.resolve({ app: { theme: 'sepia' }, page: { frameContext: 'content' } }) })
    expect(teams(await detectHost(true, { load: fake.load }))).toMatchObject({ theme: 'default', subPageId: '', userName: '' })
  })

  it('passes Teams theme changes on, an unknown one as the default theme', async () => {
    const fake = fakeTeams()
    const host = teams(await detectHost(true, { load: fake.load }))
    const seen: string[] = []
    host.onThemeChange((theme) => seen.push(theme))
    fake.changeTheme('contrast')
    fake.changeTheme('neon')
    expect(seen).toEqual(['contrast', 'default'])
  })
})

describe('detectHost: the channel tab’s configuration page', () => {
  const settings = (): Promise<Context> => Promise.resolve({ ...CONTENT, page: { frameContext: 'settings' } })
  const config: TabConfig = { contentUrl: 'https://tab.example/tab.html', websiteUrl: 'https://tab.example/tab.html', entityId: 'plan', suggestedDisplayName: 'Strategic plan' }
  const saveEvent = () => ({ notifySuccess: vi.fn(), notifyFailure: vi.fn() })

  it('refuses Save until a workbook link was given', async () => {
    const fake = fakeTeams({ context: settings })
    expect(teams(await detectHost(true, { load: fake.load })).configuring).toBe(true)
    const event = saveEvent()
    fake.save(event)
    expect(event.notifyFailure).toHaveBeenCalledWith('Paste the workbook link first.')
    expect(fake.config.setConfig).not.toHaveBeenCalled()
  })

  it('saves the configuration given last and tells Teams it is saved', async () => {
    const fake = fakeTeams({ context: settings })
    const host = teams(await detectHost(true, { load: fake.load }))
    host.saveConfig({ ...config, entityId: 'old' })
    host.saveConfig(config)
    const event = saveEvent()
    fake.save(event)
    await vi.waitFor(() => expect(event.notifySuccess).toHaveBeenCalled())
    expect(fake.config.setConfig).toHaveBeenCalledWith(config)
    expect(event.notifyFailure).not.toHaveBeenCalled()
  })

  it('reports why Teams could not save it', async () => {
    const fake = fakeTeams({ context: settings, setConfig: () => Promise.reject(new Error('Tab URL not in validDomains')) })
    const host = teams(await detectHost(true, { load: fake.load }))
    host.saveConfig(config)
    const event = saveEvent()
    fake.save(event)
    await vi.waitFor(() => expect(event.notifyFailure).toHaveBeenCalledWith('Tab URL not in validDomains'))
  })

  it('enables Save only when the page says the link is valid', async () => {
    const fake = fakeTeams({ context: settings })
    const host = teams(await detectHost(true, { load: fake.load }))
    host.setConfigValid(true)
    host.setConfigValid(false)
    expect(fake.config.setValidityState.mock.calls).toEqual([[true], [false]])
  })
})
