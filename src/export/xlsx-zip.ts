/**
 * The last step of the packet: the zip exceljs wrote, finished here in two ways.
 *
 * 1. Compression. exceljs is asked to store its parts uncompressed (its JavaScript deflate is the
 *    slowest part of a large packet); each part is deflated here with the platform's own
 *    CompressionStream ('deflate-raw'), native code in browsers and in Node.
 * 2. Excel's quote prefix on formula-looking text. A string cell is never a formula in the file
 *    (exceljs writes it as a shared string, `t="s"`, with no `<f>`), but Excel turns it into one
 *    when someone edits the cell and presses Enter. Typing an apostrophe first is how a person
 *    says "this is text": Excel records that as `quotePrefix="1"` on the cell's format (ECMA-376
 *    Part 1, §18.8.45 xf). exceljs 4.4 cannot write that attribute, so the packet gives such cells
 *    the Text number format (`@`, built-in id 49, which also keeps an edit as text), and every
 *    cell format in `xl/styles.xml` with that number format gets `quotePrefix="1"` here.
 *
 * The zip is rewritten entry by entry (APPNOTE.TXT 4.3: local headers, central directory, end
 * record), with sizes and CRC-32 in the local headers. Browser and Node alike.
 */

const STYLES = 'xl/styles.xml'
const TEXT_FORMAT_ID = '49'

const SIG = { local: 0x04034b50, central: 0x02014b50, end: 0x06054b50 } as const

type Entry = {
  name: string
  nameBytes: Uint8Array
  method: number
  flags: number
  time: number
  date: number
  crc: number
  data: Uint8Array
  size: number
  external: number
  versionMadeBy: number
}

/** Deflates every stored part and adds `quotePrefix="1"` to the Text-format cell styles; anything not a zip is returned unchanged. */
export async function finishXlsx(zip: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const entries = readZip(zip)
  if (!entries) return zip
  let changed = false
  for (const entry of entries) {
    let bytes: Uint8Array | null = null
    if (entry.name === STYLES) {
      const xml = new TextDecoder().decode(await inflate(entry))
      const patched = quotePrefixed(xml)
      if (patched !== xml) {
        bytes = new TextEncoder().encode(patched)
        entry.crc = crc32(bytes)
        entry.size = bytes.length
      }
    }
    if (bytes === null && entry.method === 0 && entry.data.length > 0) bytes = entry.data
    if (bytes === null) continue
    entry.data = await deflateRaw(bytes)
    entry.method = 8
    changed = true
  }
  return changed ? writeZip(entries) : zip
}

/** `<xf … numFmtId="49" …>` inside `<cellXfs>` gains `quotePrefix="1"`. */
export function quotePrefixed(styles: string): string {
  return styles.replace(/<cellXfs\b[\s\S]*?<\/cellXfs>/, (block) =>
    block.replace(/<xf\b([^>]*?)(\/?)>/g, (tag, attrs: string, close: string) => {
      if (!new RegExp(`\\bnumFmtId="${TEXT_FORMAT_ID}"`).test(attrs) || /\bquotePrefix=/.test(attrs)) return tag
      return `<xf${attrs} quotePrefix="1"${close}>`
    }),
  )
}

// ---------------------------------------------------------------- zip

function readZip(zip: Uint8Array): Entry[] | null {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength)
  let end = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIG.end) {
      end = i
      break
    }
  }
  if (end < 0) return null
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const entries: Entry[] = []
  for (let n = 0; n < count; n++) {
    if (view.getUint32(at, true) !== SIG.central) return null
    const nameLength = view.getUint16(at + 28, true)
    const extraLength = view.getUint16(at + 30, true)
    const commentLength = view.getUint16(at + 32, true)
    const local = view.getUint32(at + 42, true)
    const compressed = view.getUint32(at + 20, true)
    if (view.getUint32(local, true) !== SIG.local) return null
    const dataAt = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
    const nameBytes = zip.slice(at + 46, at + 46 + nameLength)
    entries.push({
      name: new TextDecoder().decode(nameBytes),
      nameBytes,
      versionMadeBy: view.getUint16(at + 4, true),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      time: view.getUint16(at + 12, true),
      date: view.getUint16(at + 14, true),
      crc: view.getUint32(at + 16, true),
      size: view.getUint32(at + 24, true),
      external: view.getUint32(at + 38, true),
      data: zip.subarray(dataAt, dataAt + compressed),
    })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}

/** Local headers with sizes and CRC in place (no data descriptors), then the central directory. */
function writeZip(entries: readonly Entry[]): Uint8Array<ArrayBuffer> {
  const localSize = entries.reduce((n, e) => n + 30 + e.nameBytes.length + e.data.length, 0)
  const centralSize = entries.reduce((n, e) => n + 46 + e.nameBytes.length, 0)
  const out = new Uint8Array(localSize + centralSize + 22)
  const view = new DataView(out.buffer)
  const flagsOf = (e: Entry) => e.flags & ~0x8
  let at = 0
  const offsets: number[] = []
  for (const e of entries) {
    offsets.push(at)
    view.setUint32(at, SIG.local, true)
    view.setUint16(at + 4, 20, true)
    view.setUint16(at + 6, flagsOf(e), true)
    view.setUint16(at + 8, e.method, true)
    view.setUint16(at + 10, e.time, true)
    view.setUint16(at + 12, e.date, true)
    view.setUint32(at + 14, e.crc, true)
    view.setUint32(at + 18, e.data.length, true)
    view.setUint32(at + 22, e.size, true)
    view.setUint16(at + 26, e.nameBytes.length, true)
    view.setUint16(at + 28, 0, true)
    out.set(e.nameBytes, at + 30)
    out.set(e.data, at + 30 + e.nameBytes.length)
    at += 30 + e.nameBytes.length + e.data.length
  }
  const central = at
  entries.forEach((e, i) => {
    view.setUint32(at, SIG.central, true)
    view.setUint16(at + 4, e.versionMadeBy, true)
    view.setUint16(at + 6, 20, true)
    view.setUint16(at + 8, flagsOf(e), true)
    view.setUint16(at + 10, e.method, true)
    view.setUint16(at + 12, e.time, true)
    view.setUint16(at + 14, e.date, true)
    view.setUint32(at + 16, e.crc, true)
    view.setUint32(at + 20, e.data.length, true)
    view.setUint32(at + 24, e.size, true)
    view.setUint16(at + 28, e.nameBytes.length, true)
    view.setUint32(at + 38, e.external, true)
    view.setUint32(at + 42, offsets[i] ?? 0, true)
    out.set(e.nameBytes, at + 46)
    at += 46 + e.nameBytes.length
  })
  view.setUint32(at, SIG.end, true)
  view.setUint16(at + 8, entries.length, true)
  view.setUint16(at + 10, entries.length, true)
  view.setUint32(at + 12, at - central, true)
  view.setUint32(at + 16, central, true)
  return out
}

async function inflate(entry: Entry): Promise<Uint8Array> {
  if (entry.method === 0) return entry.data
  if (entry.method !== 8) throw new Error(`${entry.name}: zip method ${entry.method} is not deflate`)
  return through(entry.data, new DecompressionStream('deflate-raw'))
}

function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return through(bytes, new CompressionStream('deflate-raw'))
}

/** Runs bytes through a (de)compression stream; typed loosely because DOM and Node type these streams apart. */
async function through(bytes: Uint8Array, stream: { readable: unknown; writable: unknown }): Promise<Uint8Array> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes)
      controller.close()
    },
  })
  const reader = input.pipeThrough(stream as TransformStream<Uint8Array, Uint8Array>).getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value)
    length += read.value.length
  }
  const out = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

let table: Uint32Array | null = null

export function crc32(bytes: Uint8Array): number {
  if (table === null) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let crc = 0xffffffff
  for (const byte of bytes) crc = (table[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
