import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { describeSourceError } from '../messages/errors.ts'
import { parseThemeName } from '../ui/theme.ts'
import { fetchSameOriginJson, findSource } from '../workbook/graph/page-source.ts'
import { App, type ExcelActions } from './App.tsx'
import { detectOffice, type OfficeHost } from './office/host.ts'
import { goToCell, selectStepRow } from './office/navigate.ts'
import { describeExcelProblem } from './office/wording.ts'

/** Inside Excel (and an Excel new enough to find a table row), the pane can point at cells. */
function excelActions(office: OfficeHost): ExcelActions | null {
  if (office.kind !== 'excel' || !office.canNavigate) return null
  return {
    showStep: async (stepId) => {
      const shown = await selectStepRow(office.excel, 'ActionSteps', 'StepId', stepId)
      return shown.ok ? null : describeExcelProblem(shown.error)
    },
    goToCell: async (address) => {
      const shown = await goToCell(office.excel, address)
      return shown.ok ? null : describeExcelProblem(shown.error)
    },
  }
}

async function start(): Promise<void> {
  const params = new URLSearchParams(window.location.search)
  const [office, found] = await Promise.all([detectOffice(window), findSource(params, fetchSameOriginJson)])
  const root = document.getElementById('root')
  if (!root) throw new Error('taskpane.html lacks #root')
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <App source={found.ok ? found.value : { error: describeSourceError(found.error) }} requestedTheme={parseThemeName(params.get('theme'))} excel={excelActions(office)} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
