import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { describeSourceError } from '../messages/errors.ts'
import { parseThemeName } from '../ui/theme.ts'
import { fetchSameOriginJson, findSource } from '../workbook/graph/page-source.ts'
import { App } from './App.tsx'

async function start(): Promise<void> {
  const params = new URLSearchParams(window.location.search)
  const found = await findSource(params, fetchSameOriginJson)
  const root = document.getElementById('root')
  if (!root) throw new Error('taskpane.html lacks #root')
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <App source={found.ok ? found.value : { error: describeSourceError(found.error) }} requestedTheme={parseThemeName(params.get('theme'))} excel={null} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
