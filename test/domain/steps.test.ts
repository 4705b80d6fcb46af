import { describe, it, expect } from 'vitest'
import type { StepStatus } from '../../src/domain/model.ts'
import { isOpen, stepTiming, type StepTiming } from '../../src/domain/steps.ts'
import { d, settings, step } from './builders.ts'

const asOf = d('2025-03-10')

describe('action step timing', () => {
  const cases: { name: string; due: string | null; status: StepStatus | null; dueSoonDays?: number; expected: StepTiming }[] = [
    { name: 'due yesterday and open is overdue', due: '2025-03-09', status: 'In progress', expected: 'Overdue' },
    { name: 'due today is due soon, not overdue', due: '2025-03-10', status: 'Not started', expected: 'Due soon' },
    { name: 'due on the last day of the window is due soon', due: '2025-03-17', status: 'Blocked', expected: 'Due soon' },
    { name: 'due the day after the window is neither', due: '2025-03-18', status: 'Not started', expected: null },
    { name: 'a shorter window from Settings ends sooner', due: '2025-03-12', status: 'Not started', dueSoonDays: 1, expected: null },
    { name: 'a longer window from Settings reaches further', due: '2025-03-24', status: 'Not started', dueSoonDays: 14, expected: 'Due soon' },
    { name: 'with a zero-day window, due today is still due soon', due: '2025-03-10', status: 'Not started', dueSoonDays: 0, expected: 'Due soon' },
    { name: 'done is never overdue', due: '2025-01-01', status: 'Done', expected: null },
    { name: 'done is never due soon', due: '2025-03-11', status: 'Done', expected: null },
    { name: 'cancelled is never overdue', due: '2025-01-01', status: 'Cancelled', expected: null },
    { name: 'an unknown status counts as open', due: '2025-03-01', status: null, expected: 'Overdue' },
    { name: 'blocked counts as open', due: '2025-03-01', status: 'Blocked', expected: 'Overdue' },
    { name: 'no due date gives no flag', due: null, status: 'Not started', expected: null },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const s = step({ dueDate: c.due === null ? null : d(c.due), status: c.status })
      expect(stepTiming(s, settings(c.dueSoonDays === undefined ? {} : { dueSoonDays: c.dueSoonDays }), asOf)).toBe(c.expected)
    })
  }
})

describe('open steps', () => {
  it.each([
    ['Not started', true],
    ['In progress', true],
    ['Blocked', true],
    ['Done', false],
    ['Cancelled', false],
    [null, true],
  ] as const)('a step with status %s is open: %s', (status, open) => {
    expect(isOpen(step({ status }))).toBe(open)
  })
})
