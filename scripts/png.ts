import { deflateSync, inflateSync } from 'node:zlib'

/**
 * A small PNG codec for 8-bit RGBA images: enough to write the app icons (scripts/icons.ts) and to
 * read them back in tests (size, colour type, which pixels are transparent). Follows the PNG
 * specification (W3C, "Portable Network Graphics (PNG) Specification"): signature, IHDR, IDAT,
 * IEND, CRC-32 over type and data; the reader undoes all five filter types.
 */
export type Rgba = { width: number; height: number; data: Uint8Array }

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

export function encodePng(image: Rgba): Buffer {
  const { width, height, data } = image
  if (data.length !== width * height * 4) throw new Error(`encodePng: ${data.length} bytes for ${width}×${height} RGBA`)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 6 // colour type: RGBA
  // compression, filter method, interlace: all 0
  const raw = Buffer.alloc(height * (width * 4 + 1))
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0 // filter: none
    Buffer.from(data.buffer, data.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1)
  }
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())])
}

export type PngHeader = { width: number; height: number; bitDepth: number; colourType: number; interlace: number }

export function readPngHeader(png: Uint8Array): PngHeader {
  const buf = Buffer.from(png)
  if (!buf.subarray(0, 8).equals(Buffer.from(SIGNATURE))) throw new Error('not a PNG (bad signature)')
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG (first chunk is not IHDR)')
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), bitDepth: buf[24] as number, colourType: buf[25] as number, interlace: buf[28] as number }
}

/** Decodes an 8-bit, non-interlaced RGBA PNG (what encodePng writes); throws on anything else. */
export function decodePng(png: Uint8Array): Rgba {
  const header = readPngHeader(png)
  if (header.bitDepth !== 8 || header.colourType !== 6 || header.interlace !== 0) throw new Error(`decodePng reads 8-bit RGBA only, got ${JSON.stringify(header)}`)
  const buf = Buffer.from(png)
  const idat: Buffer[] = []
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at)
    const type = buf.toString('latin1', at + 4, at + 8)
    const data = buf.subarray(at + 8, at + 8 + length)
    if (crc32(buf.subarray(at + 4, at + 8 + length)) !== buf.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`)
    if (type === 'IDAT') idat.push(data)
    at += 12 + length
  }
  const { width, height } = header
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  const out = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] as number
      const a = x >= 4 ? (out[y * stride + x - 4] as number) : 0
      const b = y > 0 ? (out[(y - 1) * stride + x] as number) : 0
      const c = x >= 4 && y > 0 ? (out[(y - 1) * stride + x - 4] as number) : 0
      let predicted: number
      switch (filter) {
        case 0:
          predicted = 0
          break
        case 1:
          predicted = a
          break
        case 2:
          predicted = b
          break
        case 3:
          predicted = (a + b) >> 1
          break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a)
          const pb = Math.abs(p - b)
          const pc = Math.abs(p - c)
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
          break
        }
        default:
          throw new Error(`bad filter type ${filter} on row ${y}`)
      }
      out[y * stride + x] = (value + predicted) & 0xff
    }
  }
  return { width, height, data: out }
}
