import { writeZip, type ZipEntry } from '../ooxml/zip-writer.ts'

/**
 * The packet's zip: each part deflated with the platform's own CompressionStream ('deflate-raw'),
 * native code in browsers and in Node, several times faster than a JavaScript zip.
 */

export type ZipPart = { name: string; data: Uint8Array }

/** The parts, in order, as one zip, each deflated. */
export async function zipParts(parts: readonly ZipPart[]): Promise<Uint8Array<ArrayBuffer>> {
  const entries: ZipEntry[] = []
  for (const part of parts) {
    const deflate = part.data.length > 0
    entries.push({ name: part.name, method: deflate ? 8 : 0, crc: crc32(part.data), size: part.data.length, data: deflate ? await deflateRaw(part.data) : part.data })
  }
  return writeZip(entries)
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
  const lookup = table
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = (lookup[(crc ^ (bytes[i] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}
