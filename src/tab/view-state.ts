import { parseIsoDate, type IsoDate } from '../domain/dates.ts'
import { WIG_STATUSES, type WigStatus } from '../domain/model.ts'
import type { WigView } from '../app/dashboard.ts'

/**
 * Where the leader is and what they filtered, all in the URL so a view can be shared and survives
 * a reload: the route in the hash (`#/wig/WIG-04`), filters and the as-of date in the query.
 */
export type Route = { name: 'overview' } | { name: 'wig'; wigId: string } | { name: 'people' } | { name: 'configure' }

export const GROUPINGS = ['pillar', 'department', 'owner'] as const
export type Grouping = (typeof GROUPINGS)[number]

export type Filters = { pillar: string; department: string; owner: string; status: WigStatus | ''; q: string }

export const NO_FILTERS: Filters = { pillar: '', department: '', owner: '', status: '', q: '' }

export type ViewState = { route: Route; filters: Filters; group: Grouping; asOf: IsoDate | null }

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '')
  const [head, ...rest] = path.split('/')
  const wigId = rest.join('/')
  if (head === 'wig' && wigId !== '') return { name: 'wig', wigId: decodeOrKeep(wigId) }
  if (head === 'people') return { name: 'people' }
  if (head === 'configure') return { name: 'configure' }
  return { name: 'overview' }
}

/** A hand-edited link may hold a bare `%`: show that WIG id as typed rather than fail. */
function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Hand-typed cells differ in case and spacing; they still name the same pillar or department (as domain/rollup.ts groups them). */
const normalize = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase()

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'overview':
      return '#/'
    case 'wig':
      return `#/wig/${encodeURIComponent(route.wigId)}`
    case 'people':
      return '#/people'
    case 'configure':
      return '#/configure'
  }
}

const isStatus = (text: string): text is WigStatus => (WIG_STATUSES as readonly string[]).includes(text)
const isGrouping = (text: string): text is Grouping => (GROUPINGS as readonly string[]).includes(text)

export function parseViewState(search: string, hash: string): ViewState {
  const params = new URLSearchParams(search)
  const text = (name: string): string => params.get(name)?.trim() ?? ''
  const status = text('status')
  const group = text('group')
  return {
    route: parseRoute(hash),
    filters: { pillar: text('pillar'), department: text('department'), owner: text('owner'), status: isStatus(status) ? status : '', q: text('q') },
    group: isGrouping(group) ? group : 'pillar',
    asOf: parseIsoDate(text('asOf')),
  }
}

/** The query string for a view, keeping parameters that are not ours (theme, host, workbook). */
export function viewSearch(current: string, state: Omit<ViewState, 'route'>): string {
  const params = new URLSearchParams(current)
  const set = (name: string, value: string): void => {
    if (value === '') params.delete(name)
    else params.set(name, value)
  }
  set('pillar', state.filters.pillar)
  set('department', state.filters.department)
  set('owner', state.filters.owner)
  set('status', state.filters.status)
  set('q', state.filters.q)
  set('group', state.group === 'pillar' ? '' : state.group)
  set('asOf', state.asOf ?? '')
  const query = params.toString()
  return query === '' ? '' : `?${query}`
}

/** Every filter but status narrows what the status counts count, so a count says what clicking it will show. */
export function applyFilters(wigs: readonly WigView[], filters: Filters, options: { ignoreStatus?: boolean } = {}): WigView[] {
  const terms = filters.q.toLowerCase().split(/\s+/).filter(Boolean)
  const same = (a: string, b: string): boolean => b === '' || normalize(a) === normalize(b)
  return wigs.filter(
    (w) =>
      same(w.pillar, filters.pillar) &&
      same(w.department, filters.department) &&
      (filters.owner === '' || same(w.owner, filters.owner) || same(w.ownerName, filters.owner)) &&
      (options.ignoreStatus || filters.status === '' || w.status === filters.status) &&
      terms.every((t) => w.searchText.includes(t)),
  )
}

export function statusCounts(wigs: readonly WigView[]): Record<WigStatus, number> {
  const counts = Object.fromEntries(WIG_STATUSES.map((s) => [s, 0])) as Record<WigStatus, number>
  for (const w of wigs) counts[w.status]++
  return counts
}

export type WigGroup = { key: string; label: string; sections: { key: string; label: string; wigs: WigView[] }[] }

const NONE: Record<Grouping, string> = { pillar: '(No pillar)', department: '(No department)', owner: '(No owner)' }

/** Pillar → strategy in workbook order; department and owner alphabetically, the "none" group last. */
export function groupWigs(wigs: readonly WigView[], grouping: Grouping): WigGroup[] {
  const groups = new Map<string, WigGroup>()
  for (const w of wigs) {
    const label = grouping === 'pillar' ? w.pillar : grouping === 'department' ? w.department : w.ownerName || w.owner
    const key = normalize(label)
    let group = groups.get(key)
    if (group === undefined) {
      group = { key, label: key === '' ? NONE[grouping] : label.trim().replace(/\s+/g, ' '), sections: [] }
      groups.set(key, group)
    }
    const sectionLabel = grouping === 'pillar' ? (w.strategy ? `${w.strategy.id} · ${w.strategy.strategy}` : w.strategyId) : ''
    let section = group.sections.find((s) => s.key === sectionLabel)
    if (section === undefined) {
      section = { key: sectionLabel, label: sectionLabel, wigs: [] }
      group.sections.push(section)
    }
    section.wigs.push(w)
  }
  const list = [...groups.values()]
  if (grouping === 'pillar') return list.sort((a, b) => Number(a.key === '') - Number(b.key === ''))
  return list.sort((a, b) => Number(a.key === '') - Number(b.key === '') || a.label.localeCompare(b.label))
}

/** The choices of a filter: each distinct value once, as first written. */
export function choices(values: readonly string[]): string[] {
  const seen = new Map<string, string>()
  for (const v of values) {
    const key = normalize(v)
    if (key !== '' && !seen.has(key)) seen.set(key, v.trim().replace(/\s+/g, ' '))
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b))
}
