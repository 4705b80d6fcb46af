import { describe, expect, it } from 'vitest'
import { describeError } from '../../src/messages/errors.ts'
import { mapGraphError } from '../../src/workbook/graph/protocol/errors.ts'
import type { StoreError, WriteError } from '../../src/workbook/store.ts'

describe('one wording per error', () => {
  it('says a missing table one way, whether a use case, the file store or Graph found it missing', () => {
    const line = 'The workbook has no CheckIns table; nothing was written.'
    expect(describeError({ kind: 'missingTable', table: 'CheckIns' })).toBe(line)
  })

  it('says a missing row one way, as a refusal before writing and as a write the backend refused', () => {
    const refusal = describeError({ kind: 'unknownRow', table: 'ActionSteps', keyColumn: 'StepId', key: 'S-9' })
    const write = describeError({ kind: 'missingKey', table: 'ActionSteps', keyColumn: 'StepId', key: 'S-9' })
    expect(refusal).toBe('No row of ActionSteps has StepId S-9; nothing was written.')
    expect(write).toBe(refusal)
  })

  it('keeps the reviewed sentences for Graph errors', () => {
    expect(describeError(mapGraphError(404, null, { table: 'WIGs' }))).toBe('The workbook or its WIGs table was not found. Check the link or ask its owner to share it.')
    expect(describeError(mapGraphError(500, { error: { code: 'generalException' } }))).toBe(
      'Microsoft 365 could not complete the request (generalexception). Try again; if it keeps happening, tell your administrator.',
    )
    expect(describeError({ kind: 'throttled', retryAfterSeconds: null })).toBe('Microsoft 365 is asking us to slow down; try again in a minute.')
  })

  it('words a conflict from its data: both values, and whether the colleague won a race', () => {
    const conflict: WriteError = { kind: 'conflict', table: 'ActionSteps', key: 'S-2', conflicts: [{ column: 'Status', seen: 'Not started', now: "'In progress", value: 'Done' }] }
    expect(describeError(conflict)).toBe('Someone changed ActionSteps S-2 since you read it: Status was "Not started" and is now "In progress". Nothing was written.')
    expect(describeError({ ...conflict, race: { restored: true } })).toMatch(/at the same moment: .* Their change was kept and yours was not saved\.$/)
  })

  it('words text a cell cannot hold with its place and problem', () => {
    expect(describeError({ kind: 'badCell', table: 'CheckIns', column: 'Note', key: null, row: 2, problem: 'invalidCharacter', character: 'control', codePoint: 7, at: 5 })).toBe(
      'Cannot save the Note of new row 2 of CheckIns: the text contains the control character U+0007 at character 5, which an Excel workbook cannot store (only tab, line feed and carriage return can be). Nothing was written.',
    )
  })

  it('words file errors with their path, and a saved copy that did not read back without the temp file name', () => {
    const damaged: StoreError = { kind: 'unreadable', reason: 'damaged', detail: 'End of data reached' }
    expect(describeError({ kind: 'unexpected', reason: 'saveNotVerified', path: '/w/plan.xlsx', cause: damaged })).toBe(
      'The workbook /w/plan.xlsx was not saved: the new copy did not read back (the new copy could not be read as an .xlsx workbook; it may be damaged (End of data reached).). The file was left as it was.',
    )
    expect(describeError({ kind: 'notFound', path: '/w/plan.xlsx' })).toBe('The workbook /w/plan.xlsx does not exist.')
  })
})
