import { createInflateRaw, inflateRawSync } from 'node:zlib'
import { err, ok, type Result } from '../../domain/result.ts'

/**
 * How much an .xlsx (a zip) takes once unzipped, known before anything is inflated: exceljs
 * (through JSZip) inflates every part whole, in memory, so a 1 MB file that inflates to 1 GB
 * would take that gigabyte before anything could refuse it. The central directory declares
 * each part's size; a part that inflates to more than it declares is caught while streaming
 * it through a counter that keeps nothing, so even a lying archive never gets the memory.
 * JSZip reads the same central directory (sizes, method) and the local headers only to skip
 * them, so what is checked here is what exceljs will inflate.
 */

export type ZipPart = { name: string; method: number; crc: number; compressedSize: number; size: number; localHeader: number; flags: number }

const EOCD = 0x06054b50
const ZIP64_LOCATOR = 0x07064b50
const ZIP64_EOCD = 0x06064b50
const CENTRAL = 0x02014b50
const LOCAL = 0x04034b50
const MAX_COMMENT = 0xffff

function readBig(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at))
}

function findEndRecord(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - MAX_COMMENT)
  for (let at = buf.length - 22; at >= stop; at -= 1) if (buf.readUInt32LE(at) === EOCD) return at
  return -1
}

/** Every part the central directory lists; an error when the directory itself is unreadable. */
export function zipParts(buf: Buffer): Result<ZipPart[], string> {
  if (buf.length < 22) return err('the file is too short to be a zip archive')
  const end = findEndRecord(buf)
  if (end < 0) return err('the zip directory is missing')
  let count = buf.readUInt16LE(end + 10)
  let directorySize = buf.readUInt32LE(end + 12)
  let directoryAt = buf.readUInt32LE(end + 16)
  if (count === 0xffff || directorySize === 0xffffffff || directoryAt === 0xffffffff) {
    const locator = end - 20
    if (locator < 0 || buf.readUInt32LE(locator) !== ZIP64_LOCATOR) return err('the ZIP64 directory locator is missing')
    const zip64 = readBig(buf, locator + 8)
    if (zip64 + 56 > buf.length || buf.readUInt32LE(zip64) !== ZIP64_EOCD) return err('the ZIP64 directory record is missing')
    count = readBig(buf, zip64 + 32)
    directorySize = readBig(buf, zip64 + 40)
    directoryAt = readBig(buf, zip64 + 48)
  }
  if (directoryAt + directorySize > buf.length) return err('the zip directory points past the end of the file')
  const parts: ZipPart[] = []
  let at = directoryAt
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== CENTRAL) return err('the zip directory is damaged')
    const flags = buf.readUInt16LE(at + 8)
    const method = buf.readUInt16LE(at + 10)
    const crc = buf.readUInt32LE(at + 16)
    let compressedSize = buf.readUInt32LE(at + 20)
    let size = buf.readUInt32LE(at + 24)
    const nameLength = buf.readUInt16LE(at + 28)
    const extraLength = buf.readUInt16LE(at + 30)
    const commentLength = buf.readUInt16LE(at + 32)
    let localHeader = buf.readUInt32LE(at + 42)
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength)
    // ZIP64 extra field (id 1): the 64-bit values, in this order, of the fields saturated above.
    let extra = at + 46 + nameLength
    const extraEnd = extra + extraLength
    while (extra + 4 <= extraEnd && extraEnd <= buf.length) {
      const id = buf.readUInt16LE(extra)
      const length = buf.readUInt16LE(extra + 2)
      if (id === 1) {
        let field = extra + 4
        const next = (): number | null => {
          if (field + 8 > extraEnd) return null
          field += 8
          return readBig(buf, field - 8)
        }
        if (size === 0xffffffff) size = next() ?? size
        if (compressedSize === 0xffffffff) compressedSize = next() ?? compressedSize
        if (localHeader === 0xffffffff) localHeader = next() ?? localHeader
      }
      extra += 4 + length
    }
    parts.push({ name, method, crc, compressedSize, size, localHeader, flags })
    at = extraEnd + commentLength
  }
  return ok(parts)
}

/** The deflated bytes of a part, found through its local header as JSZip finds them. */
export function partData(buf: Buffer, part: ZipPart): Buffer | null {
  const at = part.localHeader
  if (at + 30 > buf.length || buf.readUInt32LE(at) !== LOCAL) return null
  const start = at + 30 + buf.readUInt16LE(at + 26) + buf.readUInt16LE(at + 28)
  const stop = start + part.compressedSize
  return stop <= buf.length ? buf.subarray(start, stop) : null
}

/** Parts declaring at most this much are inflated in one call: cheaper than a stream, and as bounded. */
const SMALL_PART = 1024 * 1024

/**
 * Whether deflated `data` inflates to at most `limit` bytes. A small part is inflated at once
 * with zlib stopping at `limit`; a large one is counted and dropped chunk by chunk, inflation
 * stopping at the first chunk past the limit, so neither ever holds more than it declared.
 */
function inflatesWithin(data: Buffer, limit: number): Promise<boolean> {
  if (limit <= SMALL_PART) {
    try {
      inflateRawSync(data, { maxOutputLength: Math.max(1, limit) })
      return Promise.resolve(true)
    } catch (error) {
      // Past the limit; anything else is damage, which exceljs reports as a damaged workbook.
      return Promise.resolve((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE')
    }
  }
  return new Promise((resolve) => {
    const inflater = createInflateRaw({ chunkSize: 256 * 1024 })
    let total = 0
    let settled = false
    const settle = (within: boolean) => {
      if (settled) return
      settled = true
      inflater.destroy()
      resolve(within)
    }
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length
      if (total > limit) settle(false)
    })
    inflater.on('end', () => settle(true))
    // Damaged data is not a size problem: exceljs reports it as a damaged workbook.
    inflater.on('error', () => settle(true))
    inflater.end(data)
  })
}

export type UnzippedSize = { parts: number; bytes: number }

/** Why an archive was refused: data only; workbook-file.ts turns it into a StoreError. */
export type ZipSizeError =
  | { tooLarge: true; unzipped: number; limit: number }
  | { tooLarge: true; part: string; declared: number }
  | { tooLarge: false; part: string; problem: 'twoSizes' | 'pastEnd' }
  | { tooLarge: false; detail: string }

/** The first half of `checkUnzippedSize`: the directory is readable and declares at most `limit` bytes. Nothing is inflated. */
export function checkDeclaredSize(buf: Buffer, limit: number): Result<ZipPart[], ZipSizeError> {
  const listed = zipParts(buf)
  if (!listed.ok) return err({ tooLarge: false, detail: listed.error })
  const declared = listed.value.reduce((sum, part) => sum + part.size, 0)
  if (declared > limit) return err({ tooLarge: true, unzipped: declared, limit })
  return listed
}

/**
 * Checks that the archive unzips to at most `limit` bytes in all, first from the sizes its
 * directory declares (nothing inflated), then that no part inflates past its declared size.
 * `tooLarge` marks either failure; without it the archive itself is damaged. Parts in
 * `inflatedWithin` (by their name in the archive) were already inflated, bounded by their
 * declared size, by a caller that needed them: they are not inflated a second time.
 */
export async function checkUnzippedSize(buf: Buffer, limit: number, inflatedWithin: ReadonlySet<string> = new Set()): Promise<Result<UnzippedSize, ZipSizeError>> {
  const listed = checkDeclaredSize(buf, limit)
  if (!listed.ok) return listed
  const declared = listed.value.reduce((sum, part) => sum + part.size, 0)
  for (const part of listed.value) {
    // Stored parts are copied as they are: JSZip takes compressedSize bytes and checks the length.
    if (part.method === 0) {
      if (part.compressedSize !== part.size) return err({ tooLarge: false, part: part.name, problem: 'twoSizes' })
      continue
    }
    // Other methods are refused by JSZip without inflating anything.
    if (part.method !== 8) continue
    const data = partData(buf, part)
    if (data === null) return err({ tooLarge: false, part: part.name, problem: 'pastEnd' })
    if (inflatedWithin.has(part.name)) continue
    if (!(await inflatesWithin(data, part.size))) return err({ tooLarge: true, part: part.name, declared: part.size })
  }
  return ok({ parts: listed.value.length, bytes: declared })
}
