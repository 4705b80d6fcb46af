import { parseIsoDate, type IsoDate } from '../../src/domain/dates.ts'
import { DEFAULT_SETTINGS, type ActionStep, type CheckIn, type Owner, type Settings, type Wig } from '../../src/domain/model.ts'

/** Test data builders: every field has a harmless default so a case states only what it is about. */

export function d(text: string): IsoDate {
  const date = parseIsoDate(text)
  if (date === null) throw new Error(`bad test date ${text}`)
  return date
}

export function settings(over: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...over }
}

export function owner(text: string, email: string | null = null, name: string | null = null): Owner {
  return { text, email, name }
}

export function wig(over: Partial<Wig> = {}): Wig {
  return {
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
  }
}

let nextPosition = 0

export function checkIn(date: string | null, value: number | null, over: Partial<CheckIn> = {}): CheckIn {
  return {
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
  }
}

export function step(over: Partial<ActionStep> = {}): ActionStep {
  return {
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
  }
}
