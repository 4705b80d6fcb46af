import { noToken } from '../auth/tokens.ts'
import { loadPlan } from '../app/load-plan.ts'
import { statusReport, type WigSummary } from '../app/status-report.ts'
import { todayIso } from '../domain/dates.ts'
import { WIG_STATUSES, type WigStatus } from '../domain/model.ts'
import { exhaustiveSwitchError } from '../domain/result.ts'
import { describeError } from '../messages/errors.ts'
import { openGraphStore } from '../workbook/graph/store/graph-store.ts'
import { formatProblem } from '../workbook/problem.ts'

/**
 * The start page of `npm start`: every WIG with its status, read through the same Graph
 * client the Teams tab uses for Microsoft 365; only the base URL (from the local server's
 * config) and the token provider differ.
 */
type LocalConfig = { graphBaseUrl: string; driveItemPath: string }

function parseConfig(value: unknown): LocalConfig | null {
  if (typeof value !== 'object' || value === null) return null
  const { graphBaseUrl, driveItemPath } = value as Record<string, unknown>
  return typeof graphBaseUrl === 'string' && typeof driveItemPath === 'string' ? { graphBaseUrl, driveItemPath } : null
}

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id)
  if (!element) throw new Error(`The page lacks #${id}`)
  return element as T
}

function tone(status: WigStatus): 'good' | 'warn' | 'bad' | 'neutral' {
  switch (status) {
    case 'On track':
    case 'Achieved':
      return 'good'
    case 'At risk':
      return 'warn'
    case 'Off track':
    case 'Missed':
      return 'bad'
    case 'No data':
    case 'Not started':
      return 'neutral'
    default:
      return exhaustiveSwitchError(status, 'WIG status')
  }
}

function cell(row: HTMLTableRowElement, text: string, header = false): HTMLTableCellElement {
  const element = document.createElement(header ? 'th' : 'td')
  if (header) element.scope = 'row'
  element.textContent = text
  row.append(element)
  return element
}

function renderWig(wig: WigSummary): HTMLTableRowElement {
  const row = document.createElement('tr')
  row.dataset.wigId = wig.id
  cell(row, wig.id, true)
  cell(row, wig.title)
  cell(row, [wig.pillar, wig.department].filter(Boolean).join(' · '))
  cell(row, wig.ownerName || wig.owner)
  const status = cell(row, wig.status)
  status.className = 'status'
  status.dataset.tone = tone(wig.status)
  for (const flag of [wig.manual ? `Manual; rules say ${wig.computedStatus}` : '', wig.stale ? 'Stale: no recent check-in' : '']) {
    if (!flag) continue
    const note = document.createElement('span')
    note.className = 'flag'
    note.textContent = flag
    status.append(note)
  }
  cell(row, wig.progress === null ? '–' : `${Math.round(wig.progress * 100)}%`)
  const latest = cell(row, wig.latest && wig.latestText ? `${wig.latestText} on ${wig.latest.date}` : '–')
  latest.className = 'nowrap'
  const overdue = wig.steps.overdue > 0 ? `, ${wig.steps.overdue} overdue` : ''
  cell(row, wig.steps.total > 0 ? `${wig.steps.done} of ${wig.steps.total} done${overdue}` : '–')
  return row
}

async function start(): Promise<void> {
  const main = byId('main')
  const message = byId('message')
  try {
    const response = await fetch('/local-config.json')
    const config = response.ok ? parseConfig(await response.json()) : null
    if (!config) throw new Error('The local server did not say which workbook to open.')
    const store = openGraphStore({ location: { baseUrl: config.graphBaseUrl, itemPath: config.driveItemPath }, tokens: noToken })
    const loaded = await loadPlan(store)
    await store.close()
    if (!loaded.ok) {
      message.className = 'error'
      message.textContent = `Could not read the workbook: ${describeError(loaded.error)}`
      return
    }
    const today = todayIso()
    const report = statusReport(loaded.value.plan, loaded.value.problems, today, today)
    const { settings } = loaded.value.plan
    byId('district').textContent = settings.districtName || 'Project Management Workbook'
    byId('subtitle').textContent = `${settings.planYear ? `Plan year ${settings.planYear} · ` : ''}${report.wigs.length} WIGs as of ${report.asOf}`
    const summary = byId('summary')
    for (const status of WIG_STATUSES) {
      const count = report.wigs.filter((w) => w.status === status).length
      const item = document.createElement('li')
      const number = document.createElement('strong')
      number.textContent = String(count)
      item.append(number, status)
      summary.append(item)
    }
    const table = byId<HTMLTableElement>('wigs')
    table.tBodies[0]?.append(...report.wigs.map(renderWig))
    table.hidden = false
    if (report.problems.length > 0) {
      byId('problems').append(
        ...report.problems.map((p) => {
          const item = document.createElement('li')
          item.textContent = formatProblem(p)
          return item
        }),
      )
      byId('problems-section').hidden = false
    }
  } catch (error) {
    message.className = 'error'
    message.textContent = error instanceof Error ? error.message : String(error)
  } finally {
    main.setAttribute('aria-busy', 'false')
  }
}

void start()
