import { Button, Field, Input, Link, MessageBar, MessageBarBody, Select, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useState } from 'react'
import { loadDashboard } from '../app/dashboard.ts'
import { todayIso } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { systemClock } from '../workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../workbook/graph/chain/transport.ts'
import { resolveSharingLink } from '../workbook/graph/protocol/location.ts'
import type { Host } from './host.ts'
import { openPageStore, type WorkbookSource } from '../workbook/graph/page-source.ts'
import { choices } from './view-state.ts'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
})

type Resolved = { workbookUrl: string; departments: string[] }

/**
 * The channel tab's configuration page: a leader pastes the workbook's sharing link, Graph
 * resolves it (`/shares/{id}/driveItem`), and the tab saves the drive item (and a department)
 * in its content URL.
 */
export function Configure({ source, host }: { source: WorkbookSource; host: Host }) {
  const styles = useStyles()
  const [link, setLink] = useState(source.sharingUrl ?? '')
  const [department, setDepartment] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [resolved, setResolved] = useState<Resolved | null>(null)

  const resolve = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    setResolved(null)
    try {
      const transport = createGraphTransport({ baseUrl: source.location.baseUrl, tokens: source.tokens, clock: systemClock })
      const location = await resolveSharingLink(transport, link)
      if (!location.ok) return setError(`Could not open that link: ${describeError(location.error)}`)
      const store = openPageStore({ ...source, location: location.value })
      const today = todayIso()
      const read = await loadDashboard(store, today, today, new Date().toISOString())
      await store.close()
      if (!read.ok) return setError(`The link opens a file, but its plan could not be read: ${describeError(read.error)}`)
      setResolved({ workbookUrl: `${location.value.baseUrl}${location.value.itemPath}`, departments: choices(read.value.wigs.map((w) => w.department)) })
    } finally {
      setBusy(false)
    }
  }

  const contentUrl = resolved ? tabUrl(resolved.workbookUrl, department) : null
  useEffect(() => {
    if (host.kind !== 'teams') return
    if (contentUrl) host.saveConfig({ contentUrl, websiteUrl: contentUrl, entityId: `pm-workbook:${department || 'district'}`, suggestedDisplayName: department ? `Plan: ${department}` : 'District plan' })
    host.setConfigValid(contentUrl !== null)
  }, [host, contentUrl, department])
  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault()
        void resolve()
      }}
    >
      <h2 className={styles.h2}>Set up this tab</h2>
      <Field label="Workbook sharing link" hint="In Excel, OneDrive or SharePoint: Share → Copy link, then paste it here." required>
        <Input value={link} onChange={(_, d) => setLink(d.value)} />
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={busy || link.trim() === ''}>
          {busy ? <Spinner size="tiny" label="Opening the workbook…" /> : 'Open the workbook'}
        </Button>
      </div>
      {error && (
        <MessageBar intent="error">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      {resolved && (
        <>
          <MessageBar intent="success">
            <MessageBarBody>Found the workbook. Pick a department, or keep the whole district.</MessageBarBody>
          </MessageBar>
          <Field label="Department">
            <Select value={department} onChange={(_, d) => setDepartment(d.value)}>
              <option value="">Whole district</option>
              {resolved.departments.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </Select>
          </Field>
          {host.kind === 'browser' && contentUrl && (
            <p>
              Outside Teams, this is the tab's address: <Link href={contentUrl}>{contentUrl}</Link>
            </p>
          )}
        </>
      )}
    </form>
  )
}

function tabUrl(workbookUrl: string, department: string): string {
  const url = new URL('tab.html', window.location.href)
  url.searchParams.set('workbook', workbookUrl)
  if (department) url.searchParams.set('department', department)
  return url.toString()
}
