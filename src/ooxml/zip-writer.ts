/**
 * A zip container (APPNOTE.TXT 4.3: local headers, central directory, end record) around parts
 * already compressed, with sizes and CRC-32 in the local headers, so no data descriptors. Both the
 * board packet (deflated in the browser by CompressionStream) and the file backend's saves
 * (deflated by Node's zlib) end here; how a part is compressed is the caller's.
 */

export type ZipEntry = {
  name: string
  /** 0 stored, 8 deflated. */
  method: 0 | 8
  /** CRC-32 and length of the part before compression. */
  crc: number
  size: number
  /** The part as stored in the archive. */
  data: Uint8Array
}

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 } as const
const VERSION = 20
/** Bit 11: names are UTF-8. */
const UTF8_NAMES = 0x800
/** 1980-01-01 00:00 in DOS time: the archive's bytes depend on its content only. */
const DOS_DATE = (1 << 5) | 1
/** The classic format's counts and offsets are 16 and 32 bits; larger needs ZIP64, which nothing here writes. */
const MAX_ENTRIES = 0xffff
const MAX_OFFSET = 0xffffffff

export function writeZip(entries: readonly ZipEntry[]): Uint8Array<ArrayBuffer> {
  const names = entries.map((e) => utf8(e.name))
  const localSize = entries.reduce((n, e, i) => n + 30 + (names[i]?.length ?? 0) + e.data.length, 0)
  const centralSize = names.reduce((n, name) => n + 46 + name.length, 0)
  if (entries.length > MAX_ENTRIES || localSize + centralSize > MAX_OFFSET) throw new RangeError('zip too large for the classic format')
  const out = new Uint8Array(localSize + centralSize + 22)
  const view = new DataView(out.buffer)
  const common = (at: number, e: ZipEntry, name: Uint8Array) => {
    // version needed, flags, method, time, date, CRC, compressed size, size, name length: the same fields in both headers.
    view.setUint16(at, VERSION, true)
    view.setUint16(at + 2, UTF8_NAMES, true)
    view.setUint16(at + 4, e.method, true)
    view.setUint16(at + 6, 0, true)
    view.setUint16(at + 8, DOS_DATE, true)
    view.setUint32(at + 10, e.crc >>> 0, true)
    view.setUint32(at + 14, e.data.length, true)
    view.setUint32(at + 18, e.size, true)
    view.setUint16(at + 22, name.length, true)
  }
  let at = 0
  const offsets: number[] = []
  entries.forEach((e, i) => {
    const name = names[i] ?? new Uint8Array()
    offsets.push(at)
    view.setUint32(at, SIG.local, true)
    common(at + 4, e, name)
    out.set(name, at + 30)
    out.set(e.data, at + 30 + name.length)
    at += 30 + name.length + e.data.length
  })
  const central = at
  entries.forEach((e, i) => {
    const name = names[i] ?? new Uint8Array()
    view.setUint32(at, SIG.central, true)
    view.setUint16(at + 4, VERSION, true)
    common(at + 6, e, name)
    view.setUint32(at + 42, offsets[i] ?? 0, true)
    out.set(name, at + 46)
    at += 46 + name.length
  })
  view.setUint32(at, SIG.end, true)
  view.setUint16(at + 8, entries.length, true)
  view.setUint16(at + 10, entries.length, true)
  view.setUint32(at + 12, at - central, true)
  view.setUint32(at + 16, central, true)
  return out
}

/** UTF-8 by hand: this layer runs anywhere, and TextEncoder is not part of the language. */
function utf8(text: string): Uint8Array {
  const bytes: number[] = []
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if (c < 0x80) bytes.push(c)
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  return Uint8Array.from(bytes)
}
