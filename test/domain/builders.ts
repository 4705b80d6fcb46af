import { parseIsoDate, type IsoDate } from '../../src/domain/dates.ts'
import type { CheckInId, Email, MeasureId, StepId, StrategyId, WigId } from '../../src/domain/ids.ts'
import { DEFAULT_SETTINGS, type ActionStep, type CheckIn, type Measure, type Owner, type Settings, type Strategy, type Wig } from '../../src/domain/model.ts'

/** Test data builders: every field has a harmless default so a case states only what it is about. */

type Id = WigId | MeasureId | CheckInId | StepId | StrategyId | Email
type Widen<V> = V extends Id ? string : V
/**
 * A record with plain-string ids: test data is trusted, so builders brand it without the
 * validators (which test/domain/ids.test.ts covers).
 */
export type Loose<T> = { [K in keyof T]: Widen<T[K]> }

export function d(text: string): IsoDate {
  const date = parseIsoDate(text)
  if (date === null) throw new Error(`bad test date ${text}`)
  return date
}

export function settings(over: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...over }
}

export function owner(text: string, email: string | null = null, name: string | null = null): Owner {
  return { text, email: email as Email | null, name }
}

export function wig(over: Partial<Loose<Wig>> = {}): Wig {
  return brand<Wig>({
    id: 'W1',
    title: 'Raise PM understanding from 0% to 100%',
    targetDate: d('2025-04-11'),
    strategyId: '',
    department: '',
    kind: 'Numeric',
    unit: '%',
    scale: 'plain',
    direction: null,
    baseline: 0,
    target: 100,
    startDate: d('2025-01-01'),
    owner: null,
    statusOverride: null,
    statusNote: '',
    ...over,
  })
}

let nextPosition = 0

export function checkIn(date: string | null, value: number | null, over: Partial<Loose<CheckIn>> = {}): CheckIn {
  return brand<CheckIn>({
    id: `C${nextPosition}`,
    wigId: 'W1',
    measureId: null,
    date: date === null ? null : d(date),
    value,
    note: '',
    enteredBy: '',
    enteredAt: '',
    position: nextPosition++,
    ...over,
  })
}

export function step(over: Partial<Loose<ActionStep>> = {}): ActionStep {
  return brand<ActionStep>({
    id: `S${nextPosition}`,
    wigId: 'W1',
    measureId: null,
    title: 'A step',
    owner: null,
    dueDate: null,
    status: 'Not started',
    rawStatus: over.status ?? 'Not started',
    sequence: null,
    support: '',
    startDate: null,
    percentComplete: null,
    notes: '',
    updatedBy: '',
    updatedAt: '',
    position: nextPosition++,
    ...over,
  })
}

/** Brands a test record's ids as they stand (test data is trusted). */
export function brand<T>(record: Loose<T>): T {
  return record as T
}

export function measure(over: Partial<Loose<Measure>> = {}): Measure {
  return brand<Measure>({
    id: 'M1',
    wigId: 'W1',
    type: 'Lead',
    name: 'A measure',
    unit: '',
    scale: 'plain',
    baseline: null,
    target: null,
    dueDate: null,
    owner: null,
    cadence: '',
    ...over,
  })
}

export function strategy(over: Partial<Loose<Strategy>> = {}): Strategy {
  return brand<Strategy>({
    id: 'S1',
    pillar: '',
    strategy: '',
    priorityId: '',
    priority: '',
    keyLevers: '',
    performanceMeasures: '',
    collaboratingDepartments: '',
    ...over,
  })
}
