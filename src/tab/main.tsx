import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { completeAuthRedirect } from '../auth/sign-in.ts'
import { startPage } from '../pages/start.ts'
import { parseThemeName } from '../ui/theme.ts'
import { fetchSameOriginJson } from '../workbook/graph/page-source.ts'
import { todayIso } from '../domain/dates.ts'
import { App } from './App.tsx'
import { dashboardQuery } from './use-dashboard.ts'
import { parseViewState } from './view-state.ts'
import { detectHost } from './host.ts'

async function start(): Promise<void> {
  // A sign-in popup or hidden frame that came back to this page only hands its answer on.
  if (await completeAuthRedirect({ href: window.location.href, openedOrFramed: window.opener !== null || window.parent !== window })) return
  const params = new URLSearchParams(window.location.search)
  const host = await detectHost(window.parent !== window)
  const started = await startPage({
    params,
    host: host.kind === 'teams' ? { kind: 'teams', naa: host.naa, loginHint: host.loginHint } : { kind: 'browser', topLevel: window.parent === window },
    pageUrl: window.location.href,
    fetchJson: fetchSameOriginJson,
  })
  // A Teams deep link names its page in subPageId; it opens that WIG.
  if (host.kind === 'teams' && host.subPageId && !window.location.hash) window.location.hash = `#/${host.subPageId}`
  const root = document.getElementById('root')
  if (!root) throw new Error('tab.html lacks #root')
  const queries = new QueryClient()
  // The workbook is read while React renders the page around it, not after: the same query the
  // overview asks for, so it finds the read under way.
  if (started.kind === 'ready') {
    const today = todayIso()
    void queries.prefetchQuery(dashboardQuery(started.source, parseViewState(window.location.search, window.location.hash).asOf ?? today, today))
  }
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <App host={host} started={started} requestedTheme={parseThemeName(params.get('theme'))} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
