import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { parseThemeName } from '../ui/theme.ts'
import { describeSourceError } from '../messages/errors.ts'
import { App } from './App.tsx'
import { detectHost } from './host.ts'
import { fetchSameOriginJson, findSource } from '../workbook/graph/page-source.ts'

async function start(): Promise<void> {
  const params = new URLSearchParams(window.location.search)
  const host = await detectHost(window.parent !== window)
  // A Teams deep link names its page in subPageId; it opens that WIG.
  if (host.kind === 'teams' && host.subPageId && !window.location.hash) window.location.hash = `#/${host.subPageId}`
  const found = await findSource(params, fetchSameOriginJson)
  const root = document.getElementById('root')
  if (!root) throw new Error('tab.html lacks #root')
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <App host={host} source={found.ok ? found.value : { error: describeSourceError(found.error) }} requestedTheme={parseThemeName(params.get('theme'))} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
