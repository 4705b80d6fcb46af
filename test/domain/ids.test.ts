import { describe, expect, it } from 'vitest'
import { ID_MAX_LENGTH, parseCheckInId, parseEmail, parseMeasureId, parseStepId, parseStrategyId, parseWigId, type MeasureId, type WigId } from '../../src/domain/ids.ts'
import type { Wig } from '../../src/domain/model.ts'
import { validateNewCheckIn, validateNewStep, validateStepChange } from '../../src/domain/model.ts'
import type { IsoDate } from '../../src/domain/dates.ts'
import { describeError } from '../../src/messages/errors.ts'

const due = '2025-06-01' as IsoDate

describe('id validators', () => {
  it('accept ids the contract allows, trimmed', () => {
    expect(parseWigId('  W-1 ')).toEqual({ ok: true, value: 'W-1' })
    expect(parseMeasureId('M-1.2')).toEqual({ ok: true, value: 'M-1.2' })
    expect(parseCheckInId('CI-0A1B2C3D4E')).toEqual({ ok: true, value: 'CI-0A1B2C3D4E' })
    expect(parseStepId('ST-0A1B2C3D4E')).toEqual({ ok: true, value: 'ST-0A1B2C3D4E' })
    expect(parseStrategyId('Oe 4.001')).toEqual({ ok: true, value: 'Oe 4.001' })
    expect(parseWigId('x'.repeat(ID_MAX_LENGTH)).ok).toBe(true)
  })

  it('refuse a blank id, an id with a control character and an overlong one, each with its kind and data', () => {
    expect(parseWigId('   ')).toEqual({ ok: false, error: { kind: 'badId', column: 'WigId', text: '   ', problem: 'blank' } })
    expect(parseStepId('S-\u00071')).toEqual({ ok: false, error: { kind: 'badId', column: 'StepId', text: 'S-\u00071', problem: 'controlCharacter', codePoint: 7, at: 3 } })
    expect(parseMeasureId('M\u00851')).toMatchObject({ ok: false, error: { problem: 'controlCharacter', codePoint: 0x85 } })
    expect(parseCheckInId('C\n1')).toMatchObject({ ok: false, error: { column: 'CheckInId', problem: 'controlCharacter', codePoint: 10, at: 2 } })
    const long = 'W'.repeat(ID_MAX_LENGTH + 1)
    expect(parseWigId(long)).toEqual({ ok: false, error: { kind: 'badId', column: 'WigId', text: long, problem: 'tooLong', length: ID_MAX_LENGTH + 1, limit: ID_MAX_LENGTH } })
  })

  it('accept a plausible email, trimmed, and refuse anything else', () => {
    expect(parseEmail(' Ana.Ruiz@district.org ')).toEqual({ ok: true, value: 'Ana.Ruiz@district.org' })
    for (const text of ['ana', 'ana@', '@district.org', 'ana@district', 'ana ruiz@district.org', 'ana@@district.org', 'ana@district..org']) {
      expect(parseEmail(text), text).toMatchObject({ ok: false, error: { kind: 'badId', column: 'Email', problem: 'notAnEmail' } })
    }
    expect(parseEmail('')).toMatchObject({ ok: false, error: { problem: 'blank' } })
    expect(parseEmail(`${'a'.repeat(250)}@b.org`)).toMatchObject({ ok: false, error: { problem: 'tooLong', limit: 254 } })
  })

  it('are worded in one line by messages/errors.ts', () => {
    const bad = parseWigId('W\u00001')
    if (bad.ok) throw new Error('expected a refusal')
    expect(describeError(bad.error)).toBe('"W\\u00001" is not a WIG id: it contains the control character U+0000 at character 2. Nothing was written.')
    const email = parseEmail('ana')
    if (email.ok) throw new Error('expected a refusal')
    expect(describeError(email.error)).toBe('"ana" is not an email address. Nothing was written.')
  })
})

describe('brands', () => {
  it('keep plain strings and other ids out of places that take a WigId', () => {
    const wigOnly = (id: WigId): string => id
    const measure = parseMeasureId('M-1')
    if (!measure.ok) throw new Error('expected an id')
    // @ts-expect-error a plain string is not a WigId until parseWigId has checked it
    wigOnly('W-1')
    // @ts-expect-error a MeasureId is not a WigId
    wigOnly(measure.value)
    // @ts-expect-error a record's id is branded too
    const record: Pick<Wig, 'id'> = { id: 'W-1' }
    const checked = parseWigId('W-1')
    if (!checked.ok) throw new Error('expected an id')
    expect(wigOnly(checked.value)).toBe('W-1')
    // A brand is still a string wherever a string is taken.
    const text: string = checked.value
    expect([text, record.id]).toEqual(['W-1', 'W-1'])
    const m: MeasureId = measure.value
    expect(m).toBe('M-1')
  })
})

describe('record validators', () => {
  it('check a new step: ids branded, title trimmed, every problem listed', () => {
    expect(validateNewStep({ wigId: ' W-2', title: ' Publish ', owner: 'ben@district.org', dueDate: due, measureId: 'M-3' })).toEqual({
      ok: true,
      value: { wigId: 'W-2', title: 'Publish', owner: 'ben@district.org', dueDate: due, measureId: 'M-3' },
    })
    const refused = validateNewStep({ wigId: '', title: '  ', owner: 'ben', dueDate: due })
    expect(refused.ok ? [] : refused.error.map((p) => (p.kind === 'badId' ? `${p.column}:${p.problem}` : p.kind))).toEqual(['WigId:blank', 'Email:notAnEmail', 'emptyTitle'])
  })

  it('check a new check-in and a step change', () => {
    expect(validateNewCheckIn({ wigId: 'W-1', value: 0.5, date: due })).toEqual({ ok: true, value: { wigId: 'W-1', value: 0.5, date: due } })
    expect(validateNewCheckIn({ wigId: 'W-1', value: 0.5, date: due, measureId: 'M\t1' })).toMatchObject({ ok: false, error: [{ column: 'MeasureId', problem: 'controlCharacter' }] })
    expect(validateStepChange({ owner: 'ana@district.org', percentComplete: 40 })).toEqual({ ok: true, value: { owner: 'ana@district.org', percentComplete: 40 } })
    expect(validateStepChange({ owner: 'Ana', percentComplete: 140 })).toMatchObject({ ok: false, error: [{ kind: 'badId', problem: 'notAnEmail' }, { kind: 'percentOutOfRange', value: 140 }] })
  })
})
