import { crc32, deflateRawSync } from 'node:zlib'
import { writeZip, type ZipEntry } from '../../ooxml/zip-writer.ts'
import { partData, zipParts } from './zip-size.ts'

/**
 * A save's zip, compressed by Node's zlib. exceljs is asked to store its parts uncompressed: its
 * zip (JSZip with a JavaScript deflate, which sets up a fresh compressor for every part) was a
 * fifth of a save's time and most of its garbage; native deflate of the same parts takes a tenth
 * of that. Anything other than a zip of stored parts is returned as it is (still a valid zip).
 */
export function deflateStoredParts(stored: Buffer): Buffer {
  const listed = zipParts(stored)
  if (!listed.ok) return stored
  const entries: ZipEntry[] = []
  for (const part of listed.value) {
    // JSZip lists each folder as an entry of its own; an .xlsx needs none (Excel writes none).
    if (part.name.endsWith('/') && part.size === 0) continue
    const data = partData(stored, part)
    if (data === null || part.method !== 0 || data.length !== part.size) return stored
    entries.push({ name: part.name, method: data.length > 0 ? 8 : 0, crc: crc32(data), size: data.length, data: data.length > 0 ? deflateRawSync(data) : data })
  }
  const zip = writeZip(entries)
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)
}
