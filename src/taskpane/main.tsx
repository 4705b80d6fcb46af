import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { officeLoginHint, officeOffersNaa } from '../auth/hosts.ts'
import { completeAuthRedirect } from '../auth/sign-in.ts'
import { startPage } from '../pages/start.ts'
import { parseThemeName } from '../ui/theme.ts'
import { fetchSameOriginJson } from '../workbook/graph/page-source.ts'
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
  // A sign-in popup that came back to this page (Excel on the web) only hands its answer on.
  if (await completeAuthRedirect({ href: window.location.href, openedOrFramed: window.opener !== null || window.parent !== window })) return
  const params = new URLSearchParams(window.location.search)
  const office = await detectOffice(window)
  const started = await startPage({
    params,
    host:
      office.kind === 'excel'
        ? { kind: 'office', naa: officeOffersNaa(office.office), loginHint: await officeLoginHint(office.office) }
        : { kind: 'browser', topLevel: window.parent === window },
    // Inside Excel the pane opens the workbook Excel has open, through Graph.
    documentUrl: office.kind === 'excel' && office.workbook.kind === 'cloud' ? office.workbook.url : null,
    pageUrl: window.location.href,
    fetchJson: fetchSameOriginJson,
  })
  const root = document.getElementById('root')
  if (!root) throw new Error('taskpane.html lacks #root')
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={new QueryClient()}>
        <App started={started} requestedTheme={parseThemeName(params.get('theme'))} excel={excelActions(office)} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
