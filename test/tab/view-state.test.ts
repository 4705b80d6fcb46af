import { describe, expect, it } from 'vitest'
import type { WigView } from '../../src/app/dashboard.ts'
import type { StrategyId } from '../../src/domain/ids.ts'
import type { Strategy } from '../../src/domain/model.ts'
import { applyFilters, choices, groupWigs, NO_FILTERS, parseRoute, parseViewState, routeHash, statusCounts, viewSearch, type Filters, type Route } from '../../src/tab/view-state.ts'
import { iso, wigView } from './wig-view.ts'

const ids = (wigs: readonly WigView[]): string[] => wigs.map((w) => w.id)
const filters = (over: Partial<Filters>): Filters => ({ ...NO_FILTERS, ...over })

describe('routes: where the leader is, in the hash', () => {
  const routes: [string, Route][] = [
    ['overview', { name: 'overview' }],
    ['a WIG', { name: 'wig', wigId: 'WIG-04' }],
    ['a WIG id with spaces', { name: 'wig', wigId: 'Oe 4.001 A' }],
    ['a WIG id with a slash', { name: 'wig', wigId: 'AA/2026/3' }],
    ['a WIG id with # and ?', { name: 'wig', wigId: 'W#1?x=2' }],
    ['people', { name: 'people' }],
    ['configure', { name: 'configure' }],
  ]
  it.each(routes)('a link to %s opens the same page again', (_name, route) => {
    expect(parseRoute(routeHash(route))).toEqual(route)
  })

  it('a WIG link keeps its id readable in one path segment', () => {
    expect(routeHash({ name: 'wig', wigId: 'WIG 04/b' })).toBe('#/wig/WIG%2004%2Fb')
  })

  it('reads a hand-typed slash in a WIG id, with or without the leading slash', () => {
    expect(parseRoute('#/wig/AA/2026')).toEqual({ name: 'wig', wigId: 'AA/2026' })
    expect(parseRoute('#wig/WIG-04')).toEqual({ name: 'wig', wigId: 'WIG-04' })
  })

  it('a hand-edited link with a bare % opens that WIG id as typed instead of failing', () => {
    expect(parseRoute('#/wig/100%')).toEqual({ name: 'wig', wigId: '100%' })
    expect(parseRoute('#/wig/%E0%A4%A')).toEqual({ name: 'wig', wigId: '%E0%A4%A' })
  })

  it.each(['', '#', '#/', '#/nowhere', '#/wig', '#/wig/'])('%j falls back to the overview', (hash) => {
    expect(parseRoute(hash)).toEqual({ name: 'overview' })
  })
})

describe('parseViewState: filters and as-of from the query', () => {
  it('reads every filter, the grouping and the as-of date, trimmed', () => {
    const state = parseViewState('?pillar=%20Operational%20Excellence%20&department=IT&owner=ana%40d.org&status=At+risk&q=tower&group=owner&asOf=2026-03-31', '#/people')
    expect(state).toEqual({
      route: { name: 'people' },
      filters: { pillar: 'Operational Excellence', department: 'IT', owner: 'ana@d.org', status: 'At risk', q: 'tower' },
      group: 'owner',
      asOf: '2026-03-31',
    })
  })

  it('an empty query is the default view: no filters, grouped by pillar, as of today', () => {
    expect(parseViewState('', '')).toEqual({ route: { name: 'overview' }, filters: NO_FILTERS, group: 'pillar', asOf: null })
  })

  it('ignores a status or grouping it does not know instead of showing nothing', () => {
    const state = parseViewState('?status=Great&group=colour', '')
    expect(state.filters.status).toBe('')
    expect(state.group).toBe('pillar')
  })

  it('a status is matched exactly as the contract spells it', () => {
    expect(parseViewState('?status=on+track', '').filters.status).toBe('')
    expect(parseViewState('?status=On+track', '').filters.status).toBe('On track')
  })

  it.each(['2026-02-30', '03/31/2026', 'yesterday', '2026-3-1'])('an as-of of %j is not a date: today is used', (asOf) => {
    expect(parseViewState(`?asOf=${encodeURIComponent(asOf)}`, '').asOf).toBeNull()
  })
})

describe('viewSearch: the query string for a view', () => {
  const defaults = { filters: NO_FILTERS, group: 'pillar' as const, asOf: null }

  it('keeps parameters that are not the view’s own (theme, workbook)', () => {
    const search = viewSearch('?theme=dark&workbook=https%3A%2F%2Fx.example%2Fa.xlsx', { ...defaults, filters: filters({ status: 'Off track' }) })
    const params = new URLSearchParams(search)
    expect(params.get('theme')).toBe('dark')
    expect(params.get('workbook')).toBe('https://x.example/a.xlsx')
    expect(params.get('status')).toBe('Off track')
  })

  it('drops filters that were cleared and leaves no stray "?"', () => {
    expect(viewSearch('?pillar=Equity&q=math&asOf=2026-01-31', defaults)).toBe('')
    expect(viewSearch('?theme=dark&pillar=Equity', defaults)).toBe('?theme=dark')
  })

  it('leaves out the default grouping but writes any other', () => {
    expect(new URLSearchParams(viewSearch('?group=owner', defaults)).has('group')).toBe(false)
    expect(new URLSearchParams(viewSearch('', { ...defaults, group: 'department' })).get('group')).toBe('department')
  })

  it('round-trips through parseViewState', () => {
    const state = { filters: { pillar: 'Equity & Access', department: 'Math', owner: 'Ana Díaz', status: 'At risk' as const, q: 'grade 3' }, group: 'owner' as const, asOf: iso('2026-06-30') }
    const back = parseViewState(viewSearch('?theme=contrast', state), '#/')
    expect(back).toEqual({ route: { name: 'overview' }, ...state })
  })
})

describe('applyFilters', () => {
  const ana = wigView({ id: 'W1', pillar: 'Operational Excellence', department: 'IT', owner: 'ana@d.org', ownerName: 'Ana Díaz', status: 'On track', searchText: 'w1 build a control tower operational excellence it ana díaz' })
  const ben = wigView({ id: 'W2', pillar: 'Equity', department: 'Math', owner: 'ben@d.org', ownerName: 'Ben Ode', status: 'At risk', searchText: 'w2 raise grade 3 math scores equity math ben ode' })
  const cy = wigView({ id: 'W3', pillar: 'Equity', department: '', owner: 'cy', ownerName: 'cy', status: 'Off track', searchText: 'w3 attendance in grade 9 equity cy' })
  const all = [ana, ben, cy]

  it('no filters shows every WIG in order', () => {
    expect(ids(applyFilters(all, NO_FILTERS))).toEqual(['W1', 'W2', 'W3'])
  })

  it('a pillar typed with a doubled space is the same pillar, as the CLI and the export group it', () => {
    const typo = wigView({ id: 'W4', pillar: 'Operational  Excellence', searchText: 'w4' })
    expect(ids(applyFilters([...all, typo], filters({ pillar: 'Operational Excellence' })))).toEqual(['W1', 'W4'])
    expect(choices([ana.pillar, typo.pillar])).toEqual(['Operational Excellence'])
    expect(groupWigs([ana, typo], 'pillar').map((g) => g.label)).toEqual(['Operational Excellence'])
  })

  it('matches pillar and department whatever their case and surrounding spaces', () => {
    expect(ids(applyFilters(all, filters({ pillar: '  equity ' })))).toEqual(['W2', 'W3'])
    expect(ids(applyFilters(all, filters({ department: 'MATH' })))).toEqual(['W2'])
    expect(ids(applyFilters(all, filters({ pillar: 'Operational' })))).toEqual([])
  })

  it('finds an owner by email or by name', () => {
    expect(ids(applyFilters(all, filters({ owner: 'BEN@d.org' })))).toEqual(['W2'])
    expect(ids(applyFilters(all, filters({ owner: 'ana díaz' })))).toEqual(['W1'])
  })

  it('narrows to one status', () => {
    expect(ids(applyFilters(all, filters({ status: 'Off track' })))).toEqual(['W3'])
  })

  it('every search term must appear somewhere, in any order and case', () => {
    expect(ids(applyFilters(all, filters({ q: 'GRADE' })))).toEqual(['W2', 'W3'])
    expect(ids(applyFilters(all, filters({ q: '  math   grade ' })))).toEqual(['W2'])
    expect(ids(applyFilters(all, filters({ q: 'grade tower' })))).toEqual([])
  })

  it('combines filters, and ignoreStatus keeps every other filter so the status counts match the view', () => {
    const f = filters({ pillar: 'Equity', status: 'At risk' })
    expect(ids(applyFilters(all, f))).toEqual(['W2'])
    expect(ids(applyFilters(all, f, { ignoreStatus: true }))).toEqual(['W2', 'W3'])
  })
})

describe('statusCounts', () => {
  it('counts every status, zero for the ones no WIG has', () => {
    const counts = statusCounts([wigView({ status: 'On track' }), wigView({ status: 'On track' }), wigView({ status: 'Missed' })])
    expect(counts).toEqual({ 'On track': 2, 'At risk': 0, 'Off track': 0, Achieved: 0, Missed: 1, 'No data': 0, 'Not started': 0 })
  })
})

describe('groupWigs', () => {
  const strategy = (id: string, text: string): Strategy => ({ id: id as StrategyId, pillar: '', strategy: text, priorityId: '', priority: '', keyLevers: '', performanceMeasures: '', collaboratingDepartments: '' })

  it('by pillar: in workbook order, "(No pillar)" last, sections per strategy in workbook order', () => {
    const s2 = strategy('Oe 4.002', 'Control tower')
    const s1 = strategy('Oe 4.001', 'PM excellence')
    const groups = groupWigs(
      [
        wigView({ id: 'A', pillar: 'Operational Excellence', strategyId: 'Oe 4.002', strategy: s2 }),
        wigView({ id: 'B', pillar: '', strategyId: '' }),
        wigView({ id: 'C', pillar: 'Equity', strategyId: 'Eq 1.001' }),
        wigView({ id: 'D', pillar: 'operational excellence ', strategyId: 'Oe 4.001', strategy: s1 }),
        wigView({ id: 'E', pillar: 'Operational Excellence', strategyId: 'Oe 4.002', strategy: s2 }),
      ],
      'pillar',
    )
    expect(groups.map((g) => g.label)).toEqual(['Operational Excellence', 'Equity', '(No pillar)'])
    const [oe, eq] = groups
    expect(oe?.sections.map((s) => [s.label, ids(s.wigs)])).toEqual([
      ['Oe 4.002 · Control tower', ['A', 'E']],
      ['Oe 4.001 · PM excellence', ['D']],
    ])
    // A strategy id the Strategies table lacks still heads its section.
    expect(eq?.sections.map((s) => s.label)).toEqual(['Eq 1.001'])
  })

  it('by department: alphabetical, case-insensitive, "(No department)" last, one section', () => {
    const groups = groupWigs(
      [wigView({ id: 'A', department: 'Math' }), wigView({ id: 'B', department: '' }), wigView({ id: 'C', department: 'english' }), wigView({ id: 'D', department: 'math' })],
      'department',
    )
    expect(groups.map((g) => [g.label, ids(g.sections.flatMap((s) => s.wigs))])).toEqual([
      ['english', ['C']],
      ['Math', ['A', 'D']],
      ['(No department)', ['B']],
    ])
    expect(groups.every((g) => g.sections.length === 1)).toBe(true)
  })

  it('by owner: by name (or the owner text when no name), alphabetical, "(No owner)" last', () => {
    const groups = groupWigs(
      [
        wigView({ id: 'A', owner: 'zoe@d.org', ownerName: 'Zoe' }),
        wigView({ id: 'B', owner: '', ownerName: '' }),
        wigView({ id: 'C', owner: 'ana@d.org', ownerName: '' }),
        wigView({ id: 'D', owner: 'bo@d.org', ownerName: 'Bo' }),
      ],
      'owner',
    )
    expect(groups.map((g) => g.label)).toEqual(['ana@d.org', 'Bo', 'Zoe', '(No owner)'])
  })

  it('no WIGs, no groups', () => {
    expect(groupWigs([], 'pillar')).toEqual([])
  })
})

describe('choices: the options of a filter', () => {
  it('each value once as first written, trimmed, blanks left out, sorted', () => {
    expect(choices(['Math', ' math', '', 'English ', '  ', 'Art', 'ENGLISH'])).toEqual(['Art', 'English', 'Math'])
  })
})
