import { useEffect, useState } from 'react'
import { systemTheme, type ThemeName } from './theme.ts'

/** A host that sets the theme (Teams): its current theme and a way to hear when it changes. */
export type ThemeHost = { theme: ThemeName; onThemeChange: (listener: (theme: ThemeName) => void) => void }

/**
 * The theme a page shows: `?theme=` when given, else the host's (Teams), else the OS's (dark mode,
 * forced colours), following changes as they happen.
 */
export function usePageTheme(requested: ThemeName | null, host: ThemeHost | null = null): ThemeName {
  const matches = (query: string): boolean => window.matchMedia(query).matches
  const [theme, setTheme] = useState<ThemeName>(requested ?? host?.theme ?? systemTheme(matches))
  useEffect(() => {
    if (requested) return
    if (host) return host.onThemeChange(setTheme)
    const queries = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) => window.matchMedia(q))
    const sync = (): void => setTheme(systemTheme(matches))
    for (const q of queries) q.addEventListener('change', sync)
    return () => {
      for (const q of queries) q.removeEventListener('change', sync)
    }
  }, [host, requested])
  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])
  return theme
}
