import { describe, expect, it } from 'vitest'
import type { ChangeEntry } from '../../src/app/activity.ts'
import { lastStepUpdates, utilization, type Share } from '../../src/app/utilization.ts'
import { addDays } from '../../src/domain/dates.ts'
import type { ActionStep, Person, Plan, Settings, Wig } from '../../src/domain/model.ts'
import { d, owner, settings, step, wig } from '../domain/builders.ts'

const AS_OF = d('2026-11-24')
/** A day `n` days before as-of, as the app stamps UpdatedAt. */
const ago = (n: number): string => `${addDays(AS_OF, -n)}T15:00:00.000Z`
const ANA = owner('ana@d.org', 'ana@d.org', 'Ana')
const BEN = owner('ben@d.org', 'ben@d.org', 'Ben')

function plan(over: { steps: ActionStep[]; wigs?: Wig[]; people?: Person[]; settings?: Partial<Settings> }): Plan {
  return { strategies: [], wigs: over.wigs ?? [wig()], measures: [], checkIns: [], steps: over.steps, people: over.people ?? [], settings: settings(over.settings) }
}

let position = 0
/** A ChangeLog row about `key`; the day is `n` days before as-of (null: an At that is not a date). */
function change(key: string, n: number | null, over: Partial<ChangeEntry> = {}): ChangeEntry {
  const date = n === null ? null : addDays(AS_OF, -n)
  return { at: date ?? 'soon', date, by: 'x@d.org', source: 'test', table: 'ActionSteps', key, column: 'Status', oldValue: '', newValue: 'In progress', changeId: 'c', position: position++, ...over }
}

/** [count, total] */
type Pair = [number, number]
const pair = (s: Share): Pair => [s.count, s.total]

describe('utilization: the rules, one at a time (as of 2026-11-24, StaleAfterDays 30)', () => {
  type Case = { name: string; steps: ActionStep[]; changes?: ChangeEntry[]; settings?: Partial<Settings>; owners: Pair; openSteps: Pair }
  const cases: Case[] = [
    { name: 'UpdatedAt exactly StaleAfterDays ago counts', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(30) })], owners: [1, 1], openSteps: [1, 1] },
    { name: 'UpdatedAt one day more does not', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(31) })], owners: [0, 1], openSteps: [0, 1] },
    { name: 'UpdatedAt on as-of itself counts', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(0) })], owners: [1, 1], openSteps: [1, 1] },
    { name: 'UpdatedAt as a bare ISO date counts', steps: [step({ id: 'A', owner: ANA, updatedAt: '2026-11-20' })], owners: [1, 1], openSteps: [1, 1] },
    { name: 'an update after as-of is ignored', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(-1) })], owners: [0, 1], openSteps: [0, 1] },
    { name: 'an UpdatedAt that is not a date is ignored', steps: [step({ id: 'A', owner: ANA, updatedAt: 'last week' })], owners: [0, 1], openSteps: [0, 1] },
    { name: 'never updated', steps: [step({ id: 'A', owner: ANA })], owners: [0, 1], openSteps: [0, 1] },
    { name: 'a ChangeLog row alone counts', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', 3)], owners: [1, 1], openSteps: [1, 1] },
    { name: 'a ChangeLog row exactly StaleAfterDays ago counts', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', 30)], owners: [1, 1], openSteps: [1, 1] },
    { name: 'a ChangeLog row one day more does not', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', 31)], owners: [0, 1], openSteps: [0, 1] },
    { name: 'a ChangeLog row after as-of is ignored', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(40) })], changes: [change('A', -2)], owners: [0, 1], openSteps: [0, 1] },
    {
      name: 'an update after as-of does not hide an earlier one in the window',
      steps: [step({ id: 'A', owner: ANA, updatedAt: ago(-5) })],
      changes: [change('A', 10)],
      owners: [1, 1],
      openSteps: [1, 1],
    },
    { name: 'the later of UpdatedAt and the ChangeLog wins', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(90) })], changes: [change('A', 45), change('A', 2), change('A', 60)], owners: [1, 1], openSteps: [1, 1] },
    { name: 'a ChangeLog At that is not a date is ignored', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', null)], owners: [0, 1], openSteps: [0, 1] },
    { name: 'the Table matches as headers do', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', 3, { table: ' action steps ' })], owners: [1, 1], openSteps: [1, 1] },
    { name: 'a row of another table with the same key is not a step update', steps: [step({ id: 'A', owner: ANA })], changes: [change('A', 3, { table: 'CheckIns' })], owners: [0, 1], openSteps: [0, 1] },
    { name: 'another step’s ChangeLog row does not count', steps: [step({ id: 'A', owner: ANA })], changes: [change('B', 3)], owners: [0, 1], openSteps: [0, 1] },
    { name: 'an unowned open step counts in openSteps only', steps: [step({ id: 'A', owner: null, updatedAt: ago(1) })], owners: [0, 0], openSteps: [1, 1] },
    { name: 'a Done step updated in the window: its owner counts, no open step', steps: [step({ id: 'A', owner: ANA, status: 'Done', updatedAt: ago(2) })], owners: [1, 1], openSteps: [0, 0] },
    { name: 'a Done step closed long ago: nothing to count', steps: [step({ id: 'A', owner: ANA, status: 'Done', updatedAt: ago(200) })], owners: [0, 0], openSteps: [0, 0] },
    { name: 'a Cancelled step is not open', steps: [step({ id: 'A', owner: ANA, status: 'Cancelled' })], owners: [0, 0], openSteps: [0, 0] },
    { name: 'a status the contract does not know is open', steps: [step({ id: 'A', owner: ANA, status: null, rawStatus: 'Parked' })], owners: [0, 1], openSteps: [0, 1] },
    {
      name: 'an owner with a stale open step and a recently closed one counts as updated',
      steps: [step({ id: 'A', owner: ANA, updatedAt: ago(60) }), step({ id: 'B', owner: ANA, status: 'Done', updatedAt: ago(1) })],
      owners: [1, 1],
      openSteps: [0, 1],
    },
    {
      name: 'an owner is one person however the cell spells them',
      steps: [step({ id: 'A', owner: ANA, updatedAt: ago(1) }), step({ id: 'B', owner: owner('Ana', 'ANA@d.org', 'Ana') }), step({ id: 'C', owner: BEN })],
      owners: [1, 2],
      openSteps: [1, 3],
    },
    { name: 'an owner not in People is counted by the text written', steps: [step({ id: 'A', owner: owner('Coach Dee') }), step({ id: 'B', owner: owner(' coach  dee '), updatedAt: ago(1) })], owners: [1, 1], openSteps: [1, 2] },
    { name: 'a step without a StepId is left out', steps: [step({ id: null, owner: ANA, updatedAt: ago(1) })], owners: [0, 0], openSteps: [0, 0] },
    { name: 'StaleAfterDays 0: only as-of itself', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(0) }), step({ id: 'B', owner: BEN, updatedAt: ago(1) })], settings: { staleAfterDays: 0 }, owners: [1, 2], openSteps: [1, 2] },
    { name: 'StaleAfterDays 7', steps: [step({ id: 'A', owner: ANA, updatedAt: ago(7) }), step({ id: 'B', owner: BEN, updatedAt: ago(8) })], settings: { staleAfterDays: 7 }, owners: [1, 2], openSteps: [1, 2] },
  ]

  it.each(cases)('$name', (c) => {
    const result = utilization(plan({ steps: c.steps, ...(c.settings ? { settings: c.settings } : {}) }), c.changes ?? [], AS_OF)
    expect({ owners: pair(result.overall.owners), openSteps: pair(result.overall.openSteps) }).toEqual({ owners: c.owners, openSteps: c.openSteps })
    expect(result.windowDays).toBe(c.settings?.staleAfterDays ?? 30)
    expect(result.asOf).toBe(AS_OF)
  })

  it('share is count / total, and null (not 0% or 100%) when there is nothing to count', () => {
    const result = utilization(
      plan({ steps: [step({ id: 'A', owner: ANA, updatedAt: ago(1) }), step({ id: 'B', owner: BEN }), step({ id: 'C', owner: owner('cy@d.org') }), step({ id: 'D', owner: null })] }),
      [],
      AS_OF,
    )
    expect(result.overall.owners).toEqual({ count: 1, total: 3, share: 1 / 3 })
    expect(result.overall.openSteps).toEqual({ count: 1, total: 4, share: 0.25 })
    expect(utilization(plan({ steps: [] }), [], AS_OF).overall).toEqual({ owners: { count: 0, total: 0, share: null }, openSteps: { count: 0, total: 0, share: null } })
  })
})

describe('lastStepUpdates', () => {
  it('gives each step of the plan its latest update on or before as-of, from UpdatedAt and the ChangeLog', () => {
    const steps = [
      step({ id: 'A', updatedAt: ago(10) }),
      step({ id: 'B', updatedAt: ago(10) }),
      step({ id: 'C', updatedAt: ago(-1) }),
      step({ id: 'D' }),
      step({ id: null, updatedAt: ago(1) }),
    ]
    const changes = [change('A', 20), change('B', 4), change('C', 400), change('ZZ', 1), change('D', 1, { table: 'Measures' })]
    expect(Object.fromEntries(lastStepUpdates(plan({ steps }), changes, AS_OF))).toEqual({ A: addDays(AS_OF, -10), B: addDays(AS_OF, -4), C: addDays(AS_OF, -400) })
  })

  it('an as-of in the past sees only what had happened by then', () => {
    const steps = [step({ id: 'A', updatedAt: ago(0) })]
    const past = addDays(AS_OF, -5)
    expect(lastStepUpdates(plan({ steps }), [change('A', 3), change('A', 9)], past).get('A')).toBe(addDays(AS_OF, -9))
  })
})

describe('utilization by department', () => {
  const people: Person[] = [
    { email: 'ana@d.org', name: 'Ana', department: 'Finance', role: '' },
    { email: 'ben@d.org', name: 'Ben', department: '', role: '' },
    // A repeated email: the first entry is the one owners resolve to, as in the codec.
    { email: 'ANA@d.org', name: 'Ana again', department: 'Transport', role: '' },
  ]
  const wigs = [wig({ id: 'W1', department: 'Human Resources' }), wig({ id: 'W2', department: ' academics ' }), wig({ id: 'W3', department: '' }), wig({ id: 'W4', department: 'finance' })]

  type Case = { name: string; step: ActionStep; department: string }
  const fallback: Case[] = [
    { name: 'the owner’s People department first', step: step({ id: 'A', wigId: 'W1', owner: ANA }), department: 'Finance' },
    { name: 'the WIG’s department when the owner’s People row has none', step: step({ id: 'A', wigId: 'W1', owner: BEN }), department: 'Human Resources' },
    { name: 'the WIG’s department when the owner is not in People', step: step({ id: 'A', wigId: 'W2', owner: owner('Coach Dee') }), department: 'academics' },
    { name: 'the WIG’s department for an unowned step', step: step({ id: 'A', wigId: 'W1', owner: null }), department: 'Human Resources' },
    { name: '(No department) when the WIG has none', step: step({ id: 'A', wigId: 'W3', owner: BEN }), department: '(No department)' },
    { name: '(No department) when the WIG is unknown', step: step({ id: 'A', wigId: 'W9', owner: owner('Coach Dee') }), department: '(No department)' },
    { name: '(No department) when the step has no WIG', step: step({ id: 'A', wigId: '', owner: null }), department: '(No department)' },
  ]
  it.each(fallback)('$name', (c) => {
    const result = utilization(plan({ steps: [c.step], wigs, people }), [], AS_OF)
    expect(result.byDepartment.map((g) => g.department)).toEqual([c.department])
  })

  it('sorted by name, (No department) last, case and spacing merged, empty departments left out; each department counts its own steps', () => {
    const steps = [
      step({ id: 'S1', wigId: 'W3', owner: null, updatedAt: ago(1) }), // (No department)
      step({ id: 'S2', wigId: 'W1', owner: ANA, updatedAt: ago(1) }), // Finance (People)
      step({ id: 'S3', wigId: 'W4', owner: owner('Coach Dee'), updatedAt: ago(50) }), // finance (WIG): merged with Finance
      step({ id: 'S4', wigId: 'W2', owner: owner('Coach Dee') }), // academics (WIG): Dee counts here too
      step({ id: 'S5', wigId: 'W2', owner: BEN, status: 'Done', updatedAt: ago(2) }), // academics (WIG, Ben has no department)
      step({ id: 'S6', wigId: 'W1', owner: BEN, status: 'Done', updatedAt: ago(300) }), // Human Resources: nothing to count
    ]
    const result = utilization(plan({ steps, wigs, people }), [change('S4', 5)], AS_OF)
    const shown = result.byDepartment.map((g) => ({ department: g.department, owners: pair(g.owners), openSteps: pair(g.openSteps) }))
    expect(shown).toEqual([
      { department: 'academics', owners: [2, 2], openSteps: [1, 1] },
      { department: 'Finance', owners: [1, 2], openSteps: [1, 2] },
      { department: '(No department)', owners: [0, 0], openSteps: [1, 1] },
    ])
    // Overall, Dee is one owner (updated in academics); Ben's only counted step is the recently closed one.
    expect({ owners: pair(result.overall.owners), openSteps: pair(result.overall.openSteps) }).toEqual({ owners: [3, 3], openSteps: [3, 4] })
  })
})
