import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'
import { writeZip } from '../../../src/ooxml/zip-writer.ts'
import { partData, zipParts } from '../../../src/workbook/file/zip-size.ts'

/** The workbook with some parts' text rewritten (every part stored again, deflated). */
export function rewriteParts(zip: Buffer, rewrite: (name: string, text: string) => string): Buffer {
  const listed = zipParts(zip)
  if (!listed.ok) throw new Error(listed.error)
  const entries = listed.value.map((part) => {
    const stored = partData(zip, part) ?? Buffer.alloc(0)
    const raw = part.method === 8 ? inflateRawSync(stored) : stored
    const data = Buffer.from(rewrite(part.name, raw.toString('utf8')), 'utf8')
    return { name: part.name, method: 8 as const, crc: crc32(data), size: data.length, data: deflateRawSync(data) }
  })
  return Buffer.from(writeZip(entries))
}

