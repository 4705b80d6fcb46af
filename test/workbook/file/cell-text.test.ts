import { readFile } from 'node:fs/promises'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { cellTextProblem, MAX_CELL_CHARS } from '../../../src/workbook/cell-text.ts'
import { openFileStore } from '../../../src/workbook/file/file-store.ts'
import { addTableRows, tableRange, updateTableRow, updateWorksheetRange, worksheetRange } from '../../../src/workbook/file/tables.ts'
import { loadWorkbook } from '../../../src/workbook/file/workbook-file.ts'
import { describeCellTextProblem, describeError } from '../../../src/messages/errors.ts'
import { audit, fixturePath } from './fixture-paths.ts'

/**
 * Issue 9 part 5, first promise: text an .xlsx cannot hold (XML 1.0 has no U+FFFE, U+FFFF,
 * unpaired surrogates or C0 controls but tab, LF and CR) and text past Excel's 32,767-character
 * cell limit are refused before anything is written, naming table, column and key; tab, LF and
 * CR are kept exactly.
 */


describe('which text a cell can hold', () => {
  it.each([
    ['U+FFFE', 'a\uFFFEb', 'U+FFFE'],
    ['U+FFFF', 'a\uFFFFb', 'U+FFFF'],
    ['a lone high surrogate', 'a\uD83Db', 'U+D83D'],
    ['a lone low surrogate', 'a\uDE00b', 'U+DE00'],
    ['a C0 control (bell)', 'a\u0007b', 'U+0007'],
    ['NUL', 'a\u0000b', 'U+0000'],
    ['vertical tab', 'a\u000Bb', 'U+000B'],
    ['DEL, which exceljs drops', 'a\u007Fb', 'U+007F'],
  ])('refuses %s, naming the character and where it is', (_, text, code) => {
    const problem = cellTextProblem(text)
    expect(problem).toMatchObject({ problem: 'invalidCharacter', codePoint: parseInt(code.slice(2), 16), at: 2 })
    expect(describeCellTextProblem(problem!)).toContain(code)
    expect(describeCellTextProblem(problem!)).toContain('at character 2')
  })

  it('keeps tab, line feed, carriage return, paired surrogates (emoji) and C1 characters', () => {
    expect(cellTextProblem('a\tb\nc\r\nd 😀 \u0085')).toBeNull()
  })

  it(`allows ${MAX_CELL_CHARS} characters and refuses one more; a leading apostrophe is not stored, so it does not count`, () => {
    expect(cellTextProblem('x'.repeat(MAX_CELL_CHARS))).toBeNull()
    expect(cellTextProblem(`'${'x'.repeat(MAX_CELL_CHARS)}`)).toBeNull()
    const problem = cellTextProblem('x'.repeat(MAX_CELL_CHARS + 1))
    expect(problem).toEqual({ problem: 'tooLong', length: 32_768, limit: MAX_CELL_CHARS })
    expect(describeCellTextProblem(problem!)).toContain('32,768 characters long, more than the 32,767')
  })
})

describe('the file store refuses such text before anything is written', () => {
  it('refuses a note with U+FFFE and leaves the file byte for byte unchanged, naming table, column and key', async () => {
    const path = await fixturePath()
    const before = await readFile(path)
    const result = await openFileStore(path).updateRow({ table: 'ActionSteps', key: 'S-2', changes: [{ column: 'Notes', seen: 'needs data', value: 'ok \uFFFE' }], audit: audit('chg-fffe') })
    expect(result.ok).toBe(false)
    expect(result.ok ? null : result.error).toEqual({ kind: 'badCell', table: 'ActionSteps', column: 'Notes', key: 'S-2', problem: 'invalidCharacter', character: 'nonCharacter', codePoint: 0xfffe, at: 4 })
    const message = result.ok ? '' : describeError(result.error)
    expect(message).toContain('Notes')
    expect(message).toContain('ActionSteps "S-2"')
    expect(message).toContain('U+FFFE')
    expect(message).toContain('Nothing was written')
    expect(await readFile(path)).toEqual(before)
    // The workbook still loads: one character can no longer brick it.
    expect((await loadWorkbook(path)).ok).toBe(true)
  })

  it('refuses a 40,000-character note instead of saving past the cell limit', async () => {
    const path = await fixturePath()
    const before = await readFile(path)
    const result = await openFileStore(path).updateRow({ table: 'ActionSteps', key: 'S-2', changes: [{ column: 'Notes', seen: 'needs data', value: 'n'.repeat(40_000) }], audit: audit('chg-long') })
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'badCell', column: 'Notes', key: 'S-2', problem: 'tooLong', length: 40_000 })
    expect(result.ok ? '' : describeError(result.error)).toContain('40,000 characters long')
    expect(await readFile(path)).toEqual(before)
  })

  it('refuses a control character in an appended row instead of dropping it, naming the new row by its key', async () => {
    const path = await fixturePath()
    const before = await readFile(path)
    const result = await openFileStore(path).appendRows({ table: 'CheckIns', rows: [{ CheckInId: 'C-9', WigId: 'W-1', Date: '2025-02-01', Value: 0.5, Note: 'beep\u0007' }], audit: audit('chg-bell') })
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'badCell', table: 'CheckIns', column: 'Note', key: 'C-9', problem: 'invalidCharacter', codePoint: 7 })
    expect(result.ok ? '' : describeError(result.error)).toMatch(/Note of CheckIns "C-9".*U\+0007/)
    expect(await readFile(path)).toEqual(before)
  })

  it('refuses an audit that would put such text in the ChangeLog', async () => {
    const path = await fixturePath()
    const before = await readFile(path)
    const result = await openFileStore(path).updateRow({ table: 'ActionSteps', key: 'S-2', changes: [{ column: 'Status', seen: 'Not started', value: 'Done' }], audit: { ...audit('chg-by'), by: 'ben\u0000' } })
    expect(result.ok ? null : result.error).toMatchObject({ kind: 'badCell', table: 'ChangeLog', audit: 'By', problem: 'invalidCharacter', codePoint: 0 })
    expect(result.ok ? '' : describeError(result.error)).toContain("the change's By for the ChangeLog")
    expect(await readFile(path)).toEqual(before)
  })

  it('keeps tab, line feeds and carriage returns exactly, and literal `_x0041_` text, through a save and a fresh load', async () => {
    const path = await fixturePath()
    const note = 'line 1\r\nline 2\n\tindented\rend _x0041_ _X00ff_'
    const result = await openFileStore(path).updateRow({ table: 'ActionSteps', key: 'S-2', changes: [{ column: 'Notes', seen: 'needs data', value: note }], audit: audit('chg-crlf') })
    expect(result.ok).toBe(true)
    const read = await openFileStore(path).readRow('ActionSteps', 'S-2')
    expect(read.ok ? read.value.values[7] : null).toBe(note)
  })
})

describe('the table operations the local server shares refuse it too, changing nothing', () => {
  async function workbook(): Promise<ExcelJS.Workbook> {
    const loaded = await loadWorkbook(await fixturePath())
    if (!loaded.ok) throw new Error(describeError(loaded.error))
    return loaded.value
  }

  it('updateTableRow names table, column, key and cell, and leaves the row as it was', async () => {
    const wb = await workbook()
    const before = tableRange(wb, 'ActionSteps', 'body')?.values
    const done = updateTableRow(wb, 'ActionSteps', 1, [null, null, 'New title', null, null, null, null, 'bad \uFFFF'])
    expect(done.ok ? '' : done.error).toBe(
      'Cannot write the Notes cell of ActionSteps "S-2" (\'Action Steps\'!I5): the text contains U+FFFF at character 5, which is not a character and cannot be stored in an .xlsx file.',
    )
    expect(tableRange(wb, 'ActionSteps', 'body')?.values).toEqual(before)
  })

  it('addTableRows adds no row when any value is refused', async () => {
    const wb = await workbook()
    const before = tableRange(wb, 'People', 'body')?.values
    const done = addTableRows(wb, 'People', [
      ['cy@district.org', 'Cy', 'Data'],
      ['di@district.org', 'D\uD800i', 'Data'],
    ])
    expect(done.ok ? '' : done.error).toMatch(/Name cell of People "di@district.org".*unpaired surrogate U\+D800/)
    expect(tableRange(wb, 'People', 'body')?.values).toEqual(before)
  })

  it('updateWorksheetRange names the cell and writes none of the range', async () => {
    const wb = await workbook()
    const before = worksheetRange(wb, 'People', 'B3:C3')?.values
    const done = updateWorksheetRange(wb, 'People', 'B3:C3', [['fine', 'x'.repeat(MAX_CELL_CHARS + 1)]])
    expect(done.ok ? '' : done.error).toMatch(/^Cannot write cell People!C3: the text is 32,768 characters long/)
    expect(worksheetRange(wb, 'People', 'B3:C3')?.values).toEqual(before)
  })
})
