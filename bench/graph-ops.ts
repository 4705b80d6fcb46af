import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { newChangeId } from '../src/app/change-id.ts'
import { DASHBOARD_TABLES, loadDashboard, loadEditableDashboard, type EditableDashboard } from '../src/app/dashboard.ts'
import { seenIn } from '../src/app/seen.ts'
import { updateStep } from '../src/app/update-step.ts'
import type { IsoDate } from '../src/domain/dates.ts'
import { describeError } from '../src/messages/errors.ts'
import { findSource, openPageStore, type WorkbookSource } from '../src/workbook/graph/page-source.ts'
import { tally, type CountingProxy, type Tally } from './proxy.ts'

/**
 * The product's Graph operations, each as its surface performs it, and the same operations by a
 * naive client (one whole table range per request: no `$batch`, no `$select`), all counted at the
 * proxy in front of the local server. Nothing here is asserted; a failure is a figure with its reason.
 */

/** `sentAll`: the operation failed, yet sent every request of its pattern (the naive read goes on past a refused table). */
export type Op = Tally & { ms: number; error?: string; note?: string; sentAll?: boolean }
export type GraphFigures = {
  ours: { dashboard: Op; taskpane: Op; stepUpdate: Op; cliUpdate: Op }
  naive: { dashboard: Op; taskpane: Op; stepUpdate: Op; cliUpdate: Op }
  /** Picked from the pane's read, for the browser phase: an owner with open steps, the WIG count. */
  paneOwner: string | null
  wigCount: number | null
}

const REPO = join(import.meta.dirname, '..')
const short = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'error'

async function counted(proxy: CountingProxy, work: () => Promise<string | undefined>): Promise<Op> {
  const mark = proxy.mark()
  const start = performance.now()
  let error: string | undefined
  let note: string | undefined
  try {
    note = await work()
  } catch (e) {
    error = short(e)
  }
  const ms = performance.now() - start
  return { ...tally(proxy.since(mark)), ms, ...(error ? { error } : {}), ...(note ? { note } : {}) }
}

const sourceVia = async (proxy: CountingProxy): Promise<WorkbookSource> => {
  // As the pages find it: /local-config.json of the origin they were served from (the proxy).
  const found = await findSource(new URLSearchParams(), async (path) => {
    const response = await fetch(`${proxy.origin}${path}`, { headers: { accept: 'application/json' } })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
    return response.json() as Promise<unknown>
  })
  if (!found.ok) throw new Error(`no workbook source: ${found.error.kind}`)
  return found.value
}

/** Open steps with an owner People knows, to write to (each write takes a different one). */
function writableSteps(data: EditableDashboard): { stepId: string; by: string }[] {
  const people = new Map(data.plan.people.map((p) => [p.email.trim().toLowerCase(), p.email.trim()]))
  const fallback = data.plan.people[0]?.email.trim() ?? ''
  return data.dashboard.steps
    .filter((s) => s.open && /^ST-/.test(s.id) && s.status !== null)
    .map((s) => ({ stepId: s.id, by: people.get(s.ownerKey) ?? fallback }))
    .filter((s) => s.by !== '')
}

export async function measureGraph(proxy: CountingProxy, driveItemId: string, today: IsoDate, cli: string): Promise<GraphFigures> {
  const failed = (error: string): Op => ({ requests: 0, subRequests: 0, requestBytes: 0, wireBytes: 0, bodyBytes: 0, statuses: [], abandoned: 0, largestBodyBytes: 0, serverMs: 0, ms: 0, error })
  const source = await sourceVia(proxy)
  const readAt = () => new Date().toISOString()

  // The Teams tab: loadDashboard through a page store, sessionless, as use-dashboard.ts does.
  let wigCount: number | null = null
  const dashboard = await counted(proxy, async () => {
    const store = openPageStore(source)
    try {
      const loaded = await loadDashboard(store, today, today, readAt())
      if (!loaded.ok) throw new Error(describeError(loaded.error))
      wigCount = loaded.value.wigs.length
      return `${loaded.value.wigs.length} WIGs, ${loaded.value.steps.length} steps`
    } finally {
      await store.close()
    }
  })

  // The task pane: one persistent session for as long as it is open (use-pane.ts), its read, then
  // a step update from what it showed (StepEditor.tsx: seenIn the snapshot, then updateStep).
  let pane: EditableDashboard | null = null
  const store = openPageStore(source, { session: 'persistent' })
  const taskpane = await counted(proxy, async () => {
    const loaded = await loadEditableDashboard(store, today, today, readAt())
    if (!loaded.ok) throw new Error(describeError(loaded.error))
    pane = loaded.value
    return 'createSession included'
  })
  const loadedPane = pane as EditableDashboard | null
  const steps = loadedPane ? writableSteps(loadedPane) : []
  const [paneStep, cliStep, naivePaneStep, naiveCliStep] = steps
  let stepUpdate: Op
  if (!loadedPane || !paneStep) stepUpdate = failed(loadedPane ? 'no open step to update' : 'the pane read failed')
  else {
    stepUpdate = await counted(proxy, async () => {
      const seen = seenIn(loadedPane.raw, 'ActionSteps', paneStep.stepId)
      if (!seen.ok) throw new Error(`${paneStep.stepId}: ${seen.error.kind}`)
      const result = await updateStep(store, { stepId: paneStep.stepId, status: 'Done' }, seen.value, { by: paneStep.by, source: 'taskpane', changeId: newChangeId(), at: new Date() }, { people: loadedPane.plan.people })
      if (!result.ok) throw new Error(describeError(result.error))
      return `${paneStep.stepId} → Done`
    })
  }
  await store.close().catch(() => undefined)

  // A one-shot CLI update: `pm-workbook step <drive item URL> …` in its own process, sessionless.
  const driveItemUrl = `${proxy.graphBaseUrl}/me/drive/items/${driveItemId}`
  const cliUpdate = cliStep ? await counted(proxy, () => runCliStep(cli, driveItemUrl, cliStep.stepId, cliStep.by)) : failed('no second open step to update')

  // The naive client.
  const wb = `/me/drive/items/${driveItemId}/workbook`
  const naive = naiveClient(proxy, wb)
  const naiveDashboard = await counted(proxy, () => naive.readAll(null))
  let session: string | null = null
  const naiveTaskpane = await counted(proxy, async () => {
    session = await naive.createSession()
    return naive.readAll(session)
  })
  const openSession = session as string | null
  const naiveStepUpdate = naivePaneStep && openSession ? await counted(proxy, () => naive.updateStep(openSession, naivePaneStep.stepId, naivePaneStep.by, naive.changeLogHeaders)) : failed(openSession ? 'no third open step' : 'no session')
  if (openSession) await naive.closeSession(openSession)
  const naiveCliUpdate = naiveCliStep
    ? await counted(proxy, async () => {
        await naive.get('People', null)
        const log = await naive.get('ChangeLog', null)
        return naive.updateStep(null, naiveCliStep.stepId, naiveCliStep.by, log.values[0] ?? [])
      })
    : failed('no fourth open step')

  for (const op of [naiveDashboard, naiveTaskpane]) if (op.error?.startsWith('refused:')) op.sentAll = true
  const owner = loadedPane ? paneOwnerOf(loadedPane) : null
  return {
    ours: { dashboard, taskpane, stepUpdate, cliUpdate },
    naive: { dashboard: naiveDashboard, taskpane: naiveTaskpane, stepUpdate: naiveStepUpdate, cliUpdate: naiveCliUpdate },
    paneOwner: owner,
    wigCount,
  }
}

/** An owner with open steps whom People knows: who the pane is opened as (`?as=`). */
function paneOwnerOf(data: EditableDashboard): string | null {
  const known = new Set(data.plan.people.map((p) => p.email.trim().toLowerCase()))
  return data.dashboard.owners.find((o) => o.open > 0 && o.email !== '' && known.has(o.email.trim().toLowerCase()))?.email ?? null
}

function runCliStep(cli: string, driveItemUrl: string, stepId: string, by: string): Promise<string | undefined> {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  delete env.PMW_GRAPH_TOKEN
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'step', driveItemUrl, stepId, '--status', 'Done', '--by', by], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      const line = out.trim().split('\n')[0] ?? ''
      if (code === 0) resolve(`pm-workbook step: ${line}`)
      else reject(new Error(`pm-workbook step exited ${code}: ${line}`))
    })
  })
}

// ------------------------------------------------------------- the naive client

type Range = { values: unknown[][] }
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function codeOf(body: unknown): string {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null
  return error && typeof error.code === 'string' ? error.code : ''
}

/**
 * What a client written without the product's care does: each table's whole `range` (every
 * property the service returns: values, text, formulas, numberFormat, valueTypes…) in its own
 * request, one after the other. A table the service refuses as too large ends the operation, as
 * it would end that client's; the requests and bytes up to there are its figures.
 */
function naiveClient(proxy: CountingProxy, wb: string) {
  const base = proxy.graphBaseUrl
  const call = async (method: string, path: string, session: string | null, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = {}
    if (session) headers['workbook-session-id'] = session
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${base}${wb}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(180_000) })
    const text = await response.text()
    const parsed: unknown = text === '' ? undefined : JSON.parse(text)
    if (!response.ok) throw new Error(`${method} ${path.split('?')[0]}: ${response.status} ${codeOf(parsed)}`)
    return parsed
  }
  const client = {
    changeLogHeaders: [] as unknown[],
    get: async (table: string, session: string | null): Promise<Range> => {
      const body = await call('GET', `/tables/${table}/range`, session)
      return { values: isRecord(body) && Array.isArray(body.values) ? (body.values as unknown[][]) : [] }
    },
    /** The dashboard's tables, one whole range per request; every refusal is listed. */
    readAll: async (session: string | null): Promise<string | undefined> => {
      const refused: string[] = []
      for (const table of DASHBOARD_TABLES) {
        try {
          const range = await client.get(table, session)
          if (table === 'ChangeLog') client.changeLogHeaders = range.values[0] ?? []
        } catch (e) {
          refused.push(`${table} (${short(e).replace(/^GET \S+: /, '')})`)
        }
      }
      if (refused.length > 0) throw new Error(`refused: ${refused.join(', ')}`)
      return undefined
    },
    createSession: async (): Promise<string> => {
      const body = await call('POST', '/createSession', null, { persistChanges: true })
      if (!isRecord(body) || typeof body.id !== 'string') throw new Error('createSession: no id')
      return body.id
    },
    closeSession: async (session: string): Promise<void> => {
      await call('POST', '/closeSession', session).catch(() => undefined)
    },
    /** Find the row in the whole table, PATCH it, append the ChangeLog rows. */
    updateStep: async (session: string | null, stepId: string, by: string, logHeaders: readonly unknown[]): Promise<string | undefined> => {
      const steps = await client.get('ActionSteps', session)
      const headers = (steps.values[0] ?? []).map(String)
      const index = steps.values.slice(1).findIndex((row) => String(row[headers.indexOf('StepId')]) === stepId)
      if (index < 0) throw new Error(`no ${stepId}`)
      const at = new Date().toISOString()
      const changeId = newChangeId()
      const changes: Record<string, unknown> = { Status: 'Done', PercentComplete: 1, UpdatedBy: by, UpdatedAt: at }
      const row = steps.values[index + 1] ?? []
      await call('PATCH', `/tables/ActionSteps/rows/itemAt(index=${index})`, session, { values: [headers.map((h) => (h in changes ? changes[h] : null))] })
      const cells = (column: string): Record<string, unknown> => ({ At: at, By: by, Source: 'naive', Table: 'ActionSteps', Key: stepId, Column: column, OldValue: String(row[headers.indexOf(column)] ?? ''), NewValue: String(changes[column]), ChangeId: changeId })
      const log = Object.keys(changes)
        .filter((c) => headers.includes(c))
        .map((c) => logHeaders.map((h) => cells(c)[String(h)] ?? ''))
      if (logHeaders.length > 0 && log.length > 0) await call('POST', '/tables/ChangeLog/rows/add', session, { index: null, values: log })
      return undefined
    },
  }
  return client
}

export type { Tally }
