import type { WigView } from '../../src/app/dashboard.ts'
import type { IsoDate } from '../../src/domain/dates.ts'

/**
 * A WIG as the tab receives it from the app layer, with harmless defaults so a case states only
 * what it is about. The numbers are set by hand: the tab words and filters them, the app layer
 * computes them (test/app/dashboard.test.ts).
 */
export function wigView(over: Partial<WigView> = {}): WigView {
  const view: WigView = {
    id: 'WIG-01',
    title: 'A goal',
    pillar: '',
    strategyId: '',
    department: '',
    owner: '',
    ownerName: '',
    kind: 'Numeric',
    unit: '',
    scale: 'plain',
    baseline: null,
    target: null,
    targetDate: null,
    baselineText: null,
    targetText: null,
    latestText: null,
    expectedText: null,
    status: 'No data',
    computedStatus: 'No data',
    manual: false,
    note: '',
    stale: false,
    latest: null,
    expected: null,
    progress: null,
    pace: null,
    expectedProgress: null,
    steps: { total: 0, done: 0, overdue: 0, dueSoon: 0 },
    stepsAreCurrentNotAsOf: false,
    strategy: null,
    startDate: null,
    readings: [],
    line: null,
    openSteps: 0,
    searchText: '',
    problems: [],
    activity: [],
    ...over,
  }
  return view
}

export const iso = (text: string): IsoDate => text as IsoDate
