import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { describeSourceError } from '../messages/errors.ts'
import { parseThemeName } from '../ui/theme.ts'
import { findSource } from '../workbook/graph/page-source.ts'
import { App } from './App.tsx'

async function start(): Promise<void> {
  const params = new URLSearchParams(window.location.search)
  const found = await findSource(params, async (path) => {
    const response = await fetch(path, { headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
    return response.json() as Promise<unknown>
  })
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
