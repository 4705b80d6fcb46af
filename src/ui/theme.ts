import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components'

/** Teams' three themes, named as Teams names them (`app.Context.app.theme`). */
export const THEME_NAMES = ['default', 'dark', 'contrast'] as const
export type ThemeName = (typeof THEME_NAMES)[number]

export function parseThemeName(text: string | null | undefined): ThemeName | null {
  return (THEME_NAMES as readonly string[]).includes(text ?? '') ? (text as ThemeName) : null
}

export function fluentTheme(name: ThemeName): Theme {
  switch (name) {
    case 'default':
      return teamsLightTheme
    case 'dark':
      return teamsDarkTheme
    case 'contrast':
      return teamsHighContrastTheme
  }
}

/** Outside Teams, the OS decides: forced colours (Windows high contrast) first, then dark mode. */
export function systemTheme(matches: (query: string) => boolean): ThemeName {
  if (matches('(forced-colors: active)')) return 'contrast'
  return matches('(prefers-color-scheme: dark)') ? 'dark' : 'default'
}
