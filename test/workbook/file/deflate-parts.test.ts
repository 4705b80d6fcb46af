import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { deflateStoredParts } from '../../../src/workbook/file/deflate-parts.ts'
import { zipParts } from '../../../src/workbook/file/zip-size.ts'

/**
 * A save's zip: exceljs stores its parts, zlib deflates them (deflate-parts.ts) and the shared
 * writer (src/ooxml) puts them in a zip. Read back by JSZip, the reader exceljs itself uses, with CRC
 * checks: the same parts, the same bytes, each part deflated (APPNOTE.TXT 4.4.5 method 8).
 */
describe('deflating a stored zip for a save', () => {
  it('keeps every part byte for byte, in order, each deflated, and is much smaller', async () => {
    const zip = new JSZip()
    zip.file('[Content_Types].xml', '<Types/>')
    zip.file('xl/worksheets/sheet1.xml', '<row>'.repeat(20_000))
    zip.file('xl/sharedStrings.xml', 'Épreuve d’écriture, 中文, 🎓')
    zip.file('xl/empty.xml', '')
    const stored = Buffer.from(await zip.generateAsync({ type: 'uint8array', compression: 'STORE' }))
    const out = deflateStoredParts(stored)
    expect(out.length).toBeLessThan(stored.length / 10)
    const back = await JSZip.loadAsync(out, { checkCRC32: true })
    const files = Object.keys(zip.files).filter((name) => !name.endsWith('/'))
    expect(Object.keys(back.files).filter((name) => !name.endsWith('/'))).toEqual(files)
    for (const name of files) expect(await back.file(name)?.async('string'), name).toBe(await zip.file(name)?.async('string'))
    const listed = zipParts(out)
    // JSZip lists the folders (`xl/`) as entries too; the save writes only the parts, as Excel does.
    expect(listed.ok && listed.value.map((p) => [p.name, p.method])).toEqual([
      ['[Content_Types].xml', 8],
      ['xl/worksheets/sheet1.xml', 8],
      ['xl/sharedStrings.xml', 8],
      ['xl/empty.xml', 0],
    ])
  })

  it('leaves a zip it did not store as it is, and anything that is not a zip', async () => {
    const deflated = Buffer.from(await new JSZip().file('a.xml', 'a'.repeat(100)).generateAsync({ type: 'uint8array', compression: 'DEFLATE' }))
    expect(deflateStoredParts(deflated)).toBe(deflated)
    const junk = Buffer.from('not a zip at all')
    expect(deflateStoredParts(junk)).toBe(junk)
  })
})
