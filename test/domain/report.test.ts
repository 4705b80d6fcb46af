import { describe, it, expect } from 'vitest'
import type { Plan } from '../../src/domain/model.ts'
import { planReport } from '../../src/domain/report.ts'
import { checkIn, d, settings, step, wig } from './builders.ts'

function plan(over: Partial<Plan> = {}): Plan {
  return { strategies: [], wigs: [], measures: [], checkIns: [], steps: [], people: [], settings: settings(), ...over }
}

describe('plan report', () => {
  it('reports every WIG in workbook order, each from its own rows', () => {
    const p = plan({
      wigs: [wig({ id: 'W2' }), wig({ id: 'W1' }), wig({ id: 'W3', kind: 'Milestone', target: null })],
      checkIns: [checkIn('2025-02-20', 45, { wigId: 'W1' }), checkIn('2025-02-20', 100, { wigId: 'W2' })],
      steps: [step({ wigId: 'W3', dueDate: d('2025-02-01'), status: 'Done' })],
    })
    const r = planReport(p, d('2025-02-20'))
    expect(r.asOf).toBe('2025-02-20')
    expect(r.wigs.map((w) => [w.wig.id, w.status])).toEqual([
      ['W2', 'Achieved'],
      ['W1', 'On track'],
      ['W3', 'Achieved'],
    ])
  })

  it("uses the plan's Settings", () => {
    const p = plan({ wigs: [wig()], checkIns: [checkIn('2025-02-20', 41)], settings: settings({ onTrackAt: 0.8 }) })
    expect(planReport(p, d('2025-02-20')).wigs[0]?.status).toBe('On track')
  })

  it('passes today on, so a past asOf flags milestone steps as current', () => {
    const p = plan({ wigs: [wig({ kind: 'Milestone', target: null })] })
    expect(planReport(p, d('2025-02-20'), d('2025-03-01')).wigs[0]?.stepsAreCurrentNotAsOf).toBe(true)
  })
})
