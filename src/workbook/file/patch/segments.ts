import { constants, crc32, deflateRawSync } from 'node:zlib'

/**
 * A part deflated as independent pieces, each ending in a sync flush (no final block), so the
 * pieces one after another and an empty final block are one deflate stream (RFC 1951: a stream
 * is a series of blocks, the last one marked final). A save that changes a few rows of a large
 * sheet then deflates only the pieces its edits touch and copies the others: the local server
 * saves after every group of writes, and deflating its largest sheets whole was most of a save.
 */

/** Bytes `start`…`end` of a part, as deflated on their own, and the CRC-32 of those bytes. */
export type Segment = { start: number; end: number; crc: number; deflated: Buffer }

/** The segments of each part of the last file saved, by part name. */
export type DeflateCache = ReadonlyMap<string, readonly Segment[]>

/** A stretch `at`…`end` of the old part replaced by `length` new bytes. */
export type Replaced = { at: number; end: number; length: number }

/** Small enough that an edit re-deflates little; large enough that the pieces compress nearly as well as the whole. */
const PIECE_BYTES = 256 * 1024
/** The empty final block (BFINAL set, fixed Huffman, end of block). */
const FINAL_BLOCK = Buffer.from([0x03, 0x00])

function deflatePieces(bytes: Buffer, from: number, to: number, level: number, out: Segment[]): void {
  for (let at = from; at < to; at += PIECE_BYTES) {
    const end = Math.min(to, at + PIECE_BYTES)
    const piece = bytes.subarray(at, end)
    out.push({ start: at, end, crc: crc32(piece), deflated: deflateRawSync(piece, { level, finishFlush: constants.Z_SYNC_FLUSH }) })
  }
}

const growth = (e: Replaced): number => e.length - (e.end - e.at)

/** Whether an edit falls in old bytes `a`…`b` (an insertion at `a` does; at `b` only at the part's end). */
function touches(e: Replaced, a: number, b: number, oldLength: number): boolean {
  if (e.at < b && e.end > a) return true
  const insertion = e.at === e.end
  return insertion && ((a <= e.at && e.at < b) || (b === oldLength && e.at === b))
}

/**
 * The segments of `bytes`, the part `old` described once `edits` (sorted, by old offsets) were
 * made: untouched segments keep their deflated bytes at their new offsets, each run of touched
 * ones is deflated again. Without `old` (or when it does not describe the part) every piece is
 * deflated.
 */
export function segmentsOf(bytes: Buffer, level: number, old: readonly Segment[] | undefined, edits: readonly Replaced[]): Segment[] {
  const fresh = (): Segment[] => {
    const all: Segment[] = []
    deflatePieces(bytes, 0, bytes.length, level, all)
    return all
  }
  const oldLength = old?.at(-1)?.end ?? 0
  const contiguous = old !== undefined && old.length > 0 && old.every((s, i) => s.start === (i === 0 ? 0 : old[i - 1]?.end))
  if (!old || !contiguous || oldLength + edits.reduce((n, e) => n + growth(e), 0) !== bytes.length) return fresh()
  // Where old offset `x` lands: every edit wholly before it moved it (an insertion at `x` itself comes after).
  const moved = (x: number): number => (x === oldLength ? bytes.length : x + edits.reduce((n, e) => (e.end <= x && !(e.at === e.end && e.at === x) ? n + growth(e) : n), 0))
  const segments: Segment[] = []
  let run: number | null = null
  old.forEach((segment, i) => {
    const dirty = edits.some((e) => touches(e, segment.start, segment.end, oldLength))
    if (dirty) {
      run ??= segment.start
    } else {
      if (run !== null) deflatePieces(bytes, moved(run), moved(segment.start), level, segments)
      run = null
      const start = moved(segment.start)
      const end = start + (segment.end - segment.start)
      // A segment kept must hold the very bytes it was deflated from; one that does not is deflated again.
      if (crc32(bytes.subarray(start, end)) === segment.crc) segments.push({ ...segment, start, end })
      else deflatePieces(bytes, start, end, level, segments)
    }
    if (i === old.length - 1 && run !== null) deflatePieces(bytes, moved(run), bytes.length, level, segments)
  })
  const whole = segments.every((s, i) => s.start === (i === 0 ? 0 : segments[i - 1]?.end)) && segments.at(-1)?.end === bytes.length
  return whole ? segments : fresh()
}

/** The part's deflate stream: its segments, then the final block. */
export function streamOf(segments: readonly Segment[]): Buffer {
  return Buffer.concat([...segments.map((s) => s.deflated), FINAL_BLOCK])
}
