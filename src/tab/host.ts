import { teamsOffersNaa } from '../auth/hosts.ts'
import { parseThemeName, type ThemeName } from '../ui/theme.ts'

/**
 * Where the tab runs. Inside Teams, teams-js v2 gives the theme, the user and the deep-linked
 * page; anywhere else it is a plain page. teams-js is loaded only when the page is framed:
 * `app.initialize()` rejects at once at top level but waits about 60 s in a silent iframe
 * (GRAPH.md), so a framed page not in Teams falls back after a short wait instead of hanging.
 */
export type TabConfig = { contentUrl: string; websiteUrl: string; entityId: string; suggestedDisplayName: string }

export type Host =
  | { kind: 'browser' }
  | {
      kind: 'teams'
      theme: ThemeName
      /** `context.page.subPageId` of a deep link, e.g. `wig/WIG-04`. */
      subPageId: string
      /** The channel tab's configuration page (frameContext `settings`). */
      configuring: boolean
      userName: string
      /** Teams can sign the tab in itself (nested app authentication). */
      naa: boolean
      loginHint: string | null
      onThemeChange: (listener: (theme: ThemeName) => void) => void
      saveConfig: (config: TabConfig) => void
      setConfigValid: (valid: boolean) => void
    }

const TEAMS_WAIT_MS = 4000

type TeamsJs = Pick<typeof import('@microsoft/teams-js'), 'app' | 'pages'> & Partial<Pick<typeof import('@microsoft/teams-js'), 'nestedAppAuth'>>

const loadTeamsJs = (): Promise<TeamsJs> => import('@microsoft/teams-js')

export async function detectHost(framed: boolean, options: { load?: () => Promise<TeamsJs>; waitMs?: number } = {}): Promise<Host> {
  if (!framed) return { kind: 'browser' }
  const waitMs = options.waitMs ?? TEAMS_WAIT_MS
  try {
    const { app, pages, nestedAppAuth } = await (options.load ?? loadTeamsJs)()
    await within(app.initialize(), waitMs)
    const context = await within(app.getContext(), waitMs)
    let pendingConfig: TabConfig | null = null
    const configuring = context.page.frameContext === 'settings'
    if (configuring) {
      pages.config.registerOnSaveHandler((save) => {
        if (pendingConfig === null) return save.notifyFailure('Paste the workbook link first.')
        pages.config.setConfig(pendingConfig).then(
          () => save.notifySuccess(),
          (e: unknown) => save.notifyFailure(e instanceof Error ? e.message : String(e)),
        )
      })
    }
    app.notifySuccess()
    return {
      kind: 'teams',
      theme: parseThemeName(context.app.theme) ?? 'default',
      subPageId: context.page.subPageId ?? '',
      configuring,
      userName: context.user?.userPrincipalName ?? '',
      naa: nestedAppAuth ? teamsOffersNaa(nestedAppAuth) : false,
      loginHint: context.user?.loginHint ?? null,
      onThemeChange: (listener) => app.registerOnThemeChangeHandler((theme) => listener(parseThemeName(theme) ?? 'default')),
      saveConfig: (config) => {
        pendingConfig = config
      },
      setConfigValid: (valid) => pages.config.setValidityState(valid),
    }
  } catch {
    return { kind: 'browser' }
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer from a host within ${ms} ms`)), ms)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error instanceof Error ? error : new Error(String(error)))
      },
    )
  })
}
