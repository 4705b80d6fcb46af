import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { ArrowDownload20Regular } from '@fluentui/react-icons'
import { useState } from 'react'
import type { Dashboard } from '../app/dashboard.ts'
import type { Filters } from './view-state.ts'

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  status: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  error: { fontSize: tokens.fontSizeBase200, color: tokens.colorPaletteRedForeground1 },
})

type Kind = 'xlsx' | 'html'
type State = { kind: 'idle' } | { kind: 'building'; what: Kind; progress: string } | { kind: 'done'; file: string } | { kind: 'failed'; message: string }

const STAGE: Record<string, string> = { summary: 'Summary', measures: 'measures and check-ins', steps: 'action steps', packing: 'packing the file' }

/**
 * "Export for the board": the same packet and report as `pm-workbook export`, built in the browser.
 * The export code loads only when asked, so the dashboard does not carry it.
 */
export function ExportButtons({ dashboard, filters }: { dashboard: Dashboard; filters: Filters }) {
  const styles = useStyles()
  const [state, setState] = useState<State>({ kind: 'idle' })
  const scope = { ...(filters.department ? { department: filters.department } : {}), ...(filters.pillar ? { pillar: filters.pillar } : {}) }

  const build = async (what: Kind): Promise<void> => {
    setState({ kind: 'building', what, progress: 'Loading the exporter…' })
    try {
      const exporter = await import('../export/index.ts')
      const file = exporter.exportFileName(dashboard, what, scope)
      const blob =
        what === 'xlsx'
          ? new Blob([await exporter.buildBoardPacket(dashboard, { ...scope, onProgress: (p) => setState({ kind: 'building', what, progress: `${STAGE[p.stage] ?? p.stage} ${p.done} of ${p.total}` }) })], { type: exporter.PACKET_MIME })
          : new Blob([exporter.buildReport(dashboard, scope)], { type: exporter.REPORT_MIME })
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = file
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
      setState({ kind: 'done', file })
    } catch (error) {
      setState({ kind: 'failed', message: `The export could not be built: ${error instanceof Error ? error.message : String(error)}` })
    }
  }

  const busy = state.kind === 'building'
  return (
    <div className={styles.row} role="group" aria-label="Export for the board">
      <Button size="small" icon={<ArrowDownload20Regular aria-hidden="true" />} disabled={busy} onClick={() => void build('xlsx')}>
        Board packet (.xlsx)
      </Button>
      <Button size="small" icon={<ArrowDownload20Regular aria-hidden="true" />} disabled={busy} onClick={() => void build('html')}>
        Report (.html)
      </Button>
      <span className={state.kind === 'failed' ? styles.error : styles.status} role="status">
        {state.kind === 'building' ? <Spinner size="extra-tiny" label={state.progress} labelPosition="after" /> : state.kind === 'done' ? `Downloaded ${state.file}` : state.kind === 'failed' ? state.message : ''}
      </span>
    </div>
  )
}
