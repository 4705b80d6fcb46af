import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib'

/** Reads one entry of a zip (an .xlsx) as text, to check the XML exceljs actually wrote. */
export function zipEntryText(zip: Uint8Array, name: string): string | null {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength)
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1
  if (eocd < 0) throw new Error('not a zip file')
  const entries = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  for (let i = 0; i < entries; i += 1) {
    const method = buf.readUInt16LE(at + 10)
    const size = buf.readUInt32LE(at + 20)
    const nameLength = buf.readUInt16LE(at + 28)
    const extraLength = buf.readUInt16LE(at + 30)
    const commentLength = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const entryName = buf.toString('utf8', at + 46, at + 46 + nameLength)
    if (entryName === name) {
      const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
      const data = buf.subarray(dataStart, dataStart + size)
      return (method === 0 ? data : inflateRawSync(data)).toString('utf8')
    }
    at += 46 + nameLength + extraLength + commentLength
  }
  return null
}

/** Attributes of the first `<tag …>` in some XML, as a plain record. */
export function xmlAttributes(xml: string, tag: string): Record<string, string> | null {
  const m = new RegExp(`<${tag}\\b([^>]*)>`).exec(xml)
  if (!m) return null
  const attributes: Record<string, string> = {}
  for (const a of (m[1] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)) attributes[a[1] ?? ''] = a[2] ?? ''
  return attributes
}

/** A minimal zip (stored, no compression) holding the given text files: a zip that is not a workbook. */
export function storedZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const nameBytes = Buffer.from(name, 'utf8')
    const data = Buffer.from(text, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    centrals.push(central, nameBytes)
    offset += local.length + nameBytes.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** One part of an archive built by `zipOf`: its bytes as stored, and what the directory declares. */
export type RawPart = { name: string; method: 0 | 8; data: Buffer; declaredSize: number; crc: number }

/** The parts of a real archive, bytes as stored (still deflated), so a test can add one and rebuild it. */
export function rawParts(zip: Buffer): RawPart[] {
  let eocd = zip.length - 22
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd -= 1
  const parts: RawPart[] = []
  let at = zip.readUInt32LE(eocd + 16)
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i += 1) {
    const method = zip.readUInt16LE(at + 10) as 0 | 8
    const compressed = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const local = zip.readUInt32LE(at + 42)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    parts.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      method,
      data: zip.subarray(start, start + compressed),
      declaredSize: zip.readUInt32LE(at + 24),
      crc: zip.readUInt32LE(at + 16),
    })
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return parts
}

/** A zip of parts whose sizes are whatever they declare: honest, or lying as a zip bomb does. */
export function zipOf(parts: readonly RawPart[]): Buffer {
  const chunks: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8')
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(part.method, 8)
    local.writeUInt32LE(part.crc, 14)
    local.writeUInt32LE(part.data.length, 18)
    local.writeUInt32LE(part.declaredSize, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(part.method, 10)
    central.writeUInt32LE(part.crc, 16)
    central.writeUInt32LE(part.data.length, 20)
    central.writeUInt32LE(part.declaredSize, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    chunks.push(local, name, part.data)
    centrals.push(central, name)
    offset += local.length + name.length + part.data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(parts.length, 8)
  end.writeUInt16LE(parts.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...chunks, directory, end])
}

/**
 * Raw deflate data that inflates to `mebibytes` MiB of zeros, built without ever holding them:
 * one MiB of zeros deflated up to a sync flush is a run of non-final blocks whose back-references
 * only reach zeros, so repeating it repeats the zeros; an empty final block (03 00) ends it.
 */
export function deflatedZeros(mebibytes: number): Buffer {
  const oneMiB = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_SYNC_FLUSH })
  return Buffer.concat([...Array.from({ length: mebibytes }, () => oneMiB), Buffer.from([0x03, 0x00])])
}
