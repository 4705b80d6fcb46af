import { useCallback, useEffect, useState } from 'react'
import { parseViewState, routeHash, viewSearch, type Filters, type Grouping, type Route, type ViewState } from './view-state.ts'

const read = (): ViewState => parseViewState(window.location.search, window.location.hash)

/** The view lives in the URL: routes push history (Back works), filter edits replace it (no entry per keystroke). */
export function useViewState(): {
  view: ViewState
  go: (route: Route) => void
  setFilters: (filters: Filters) => void
  setGroup: (group: Grouping) => void
  setAsOf: (asOf: ViewState['asOf']) => void
} {
  const [view, setView] = useState(read)
  useEffect(() => {
    const sync = (): void => setView(read())
    window.addEventListener('hashchange', sync)
    window.addEventListener('popstate', sync)
    return () => {
      window.removeEventListener('hashchange', sync)
      window.removeEventListener('popstate', sync)
    }
  }, [])
  const replace = useCallback((next: Omit<ViewState, 'route'>) => {
    const search = viewSearch(window.location.search, next)
    window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`)
    setView(read())
  }, [])
  return {
    view,
    go: (route) => {
      window.location.hash = routeHash(route)
      window.scrollTo(0, 0)
    },
    setFilters: (filters) => replace({ ...view, filters }),
    setGroup: (group) => replace({ ...view, group }),
    setAsOf: (asOf) => replace({ ...view, asOf }),
  }
}
