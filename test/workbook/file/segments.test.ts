import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { segmentsOf, streamOf, type Replaced } from '../../../src/workbook/file/patch/segments.ts'

/** A sheet-like part: many similar rows, so it compresses as a real one does. */
function part(rows: number, seed: number): Buffer {
  let text = '<worksheet><dimension ref="A1:H' + rows + '"/><sheetData>'
  for (let r = 1; r <= rows; r += 1) text += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>CI-${(r * seed) % 9973}</t></is></c><c r="B${r}"><v>${r * 7}</v></c></row>`
  return Buffer.from(`${text}</sheetData></worksheet>`, 'latin1')
}

/** `bytes` with `edits` (sorted, by old offsets) made. */
function edited(bytes: Buffer, edits: readonly { at: number; end: number; text: string }[]): Buffer {
  const pieces: Buffer[] = []
  let from = 0
  for (const e of edits) {
    pieces.push(bytes.subarray(from, e.at), Buffer.from(e.text, 'latin1'))
    from = e.end
  }
  pieces.push(bytes.subarray(from))
  return Buffer.concat(pieces)
}

describe('a part deflated in segments', () => {
  it('inflates to the part after any edits, re-deflating only the segments the edits touch', () => {
    const before = part(20_000, 7)
    const first = segmentsOf(before, 1, undefined, [])
    expect(inflateRawSync(streamOf(first)).equals(before)).toBe(true)
    let bytes = before
    let segments = first
    for (let round = 1; round <= 6; round += 1) {
      // What a save makes: the dimension at the top, new rows before </sheetData>, sometimes a cell rewritten mid-sheet.
      const dimension = bytes.indexOf('A1:H')
      const closing = bytes.indexOf('</sheetData>')
      const middle = bytes.indexOf('<row r="', Math.floor(bytes.length / 2))
      const edits = [
        { at: dimension, end: dimension + 4, text: `A1:HH${round}` },
        ...(round % 2 === 0 ? [{ at: middle, end: middle + 8, text: '<row  r="' }] : []),
        { at: closing, end: closing, text: `<row r="${30_000 + round}"><c r="A1"><v>${round}</v></c></row>` },
      ].sort((a, b) => a.at - b.at)
      const after = edited(bytes, edits)
      const replaced: Replaced[] = edits.map((e) => ({ at: e.at, end: e.end, length: e.text.length }))
      const next = segmentsOf(after, 1, segments, replaced)
      expect(inflateRawSync(streamOf(next)).equals(after)).toBe(true)
      // At most three segments hold an edit: every other one is the very same deflated bytes.
      const reused = segments.filter((old) => next.some((s) => s.deflated === old.deflated)).length
      expect(reused).toBeGreaterThanOrEqual(segments.length - 3)
      bytes = after
      segments = next
    }
  })

  it('deflates afresh when what it was given does not describe the part', () => {
    const bytes = part(3_000, 3)
    const stale = segmentsOf(part(2_000, 3), 1, undefined, [])
    const again = segmentsOf(bytes, 1, stale, [])
    expect(inflateRawSync(streamOf(again)).equals(bytes)).toBe(true)
    expect(again.some((s) => stale.some((old) => old.deflated === s.deflated))).toBe(false)
  })
})
