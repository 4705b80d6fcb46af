import { describe, it, expect } from 'vitest'
import { wigStatus } from '../../src/domain/status.ts'
import { checkIn, d, settings, step, wig } from './builders.ts'

describe('stale flag', () => {
  const checkIns = [checkIn('2025-02-20', 45)]
  it('is not stale exactly StaleAfterDays after the latest check-in', () => {
    expect(wigStatus(wig(), checkIns, [], settings(), d('2025-03-22')).stale).toBe(false)
  })
  it('is stale one day later', () => {
    expect(wigStatus(wig(), checkIns, [], settings(), d('2025-03-23')).stale).toBe(true)
  })
  it('follows StaleAfterDays from Settings', () => {
    expect(wigStatus(wig(), checkIns, [], settings({ staleAfterDays: 10 }), d('2025-03-03')).stale).toBe(true)
    expect(wigStatus(wig(), checkIns, [], settings({ staleAfterDays: 10 }), d('2025-03-02')).stale).toBe(false)
  })
  it('is measured from the latest check-in, not the first', () => {
    const r = wigStatus(wig(), [checkIn('2025-01-01', 0), checkIn('2025-03-20', 80)], [], settings(), d('2025-04-01'))
    expect(r.stale).toBe(false)
  })
  it('ignores check-ins after asOf when judging staleness', () => {
    const r = wigStatus(wig(), [checkIn('2025-01-01', 0), checkIn('2025-03-20', 80)], [], settings(), d('2025-03-01'))
    expect(r.stale).toBe(true)
  })
  it('ignores lead-measure check-ins', () => {
    const r = wigStatus(wig(), [checkIn('2025-01-01', 0), checkIn('2025-03-20', 80, { measureId: 'M1' })], [], settings(), d('2025-04-01'))
    expect(r.stale).toBe(true)
  })
  it('is never stale without a check-in', () => {
    expect(wigStatus(wig(), [], [], settings(), d('2025-03-23')).stale).toBe(false)
  })
  it('flags a milestone WIG only by its own check-ins', () => {
    const m = wig({ kind: 'Milestone', target: null, baseline: null })
    expect(wigStatus(m, [], [step({ dueDate: d('2024-01-01') })], settings(), d('2025-03-23')).stale).toBe(false)
    expect(wigStatus(m, [checkIn('2025-01-01', 1)], [], settings(), d('2025-03-23')).stale).toBe(true)
  })
})

describe('status override', () => {
  const offTrack = [checkIn('2025-02-20', 10)]
  it('shows the manual status and note beside what the rules say', () => {
    const r = wigStatus(wig({ statusOverride: 'On track', statusNote: 'Survey delayed by the vendor' }), offTrack, [], settings(), d('2025-02-20'))
    expect(r.status).toBe('On track')
    expect(r.manual).toBe(true)
    expect(r.computedStatus).toBe('Off track')
    expect(r.note).toBe('Survey delayed by the vendor')
  })
  it('is not manual without an override', () => {
    const r = wigStatus(wig(), offTrack, [], settings(), d('2025-02-20'))
    expect(r.status).toBe('Off track')
    expect(r.manual).toBe(false)
    expect(r.note).toBe('')
  })
})

describe('step counts on a WIG', () => {
  it('counts every row of this WIG, cancelled included, and flags timing as of asOf', () => {
    const steps = [
      step({ dueDate: d('2025-03-01'), status: 'Done' }),
      step({ dueDate: d('2025-03-01'), status: 'Cancelled' }),
      step({ dueDate: d('2025-03-09'), status: 'In progress' }), // overdue
      step({ dueDate: d('2025-03-05'), status: null }), // overdue: unknown counts as open
      step({ dueDate: d('2025-03-10'), status: 'Not started' }), // due soon (today)
      step({ dueDate: d('2025-03-17'), status: 'Blocked' }), // due soon (last day)
      step({ dueDate: d('2025-03-18'), status: 'Not started' }),
      step({ dueDate: d('2025-03-01'), status: 'Not started', wigId: 'W2' }),
    ]
    const r = wigStatus(wig(), [], steps, settings(), d('2025-03-10'))
    expect(r.steps).toEqual({ total: 7, done: 1, overdue: 2, dueSoon: 2 })
  })
})
