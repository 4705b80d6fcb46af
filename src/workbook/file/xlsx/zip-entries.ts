import { inflateRawSync } from 'node:zlib'
import { partData, zipParts, type ZipPart } from '../zip-size.ts'
import { unmodeled } from './unmodeled.ts'
import { xmlOf, type Xml } from './xml-text.ts'

/**
 * The parts of an .xlsx by the names exceljs gives them, inflated one at a time and only when
 * asked. The caller has checked the sizes the directory declares (zip-size.ts
 * `checkDeclaredSize`), and zlib stops each part at its declared size, so a zip bomb never
 * gets the memory. What JSZip would refuse while loading (another compression method,
 * encryption, a bad local header, a part that inflates to other than its declared size) is
 * unmodeled: exceljs, or the full size check before it, gives its own answer.
 */

export type XlsxParts = {
  /** Part names in archive order, a leading `/` dropped as exceljs drops it. */
  names: readonly string[]
  /** The part ready to scan (xml-text.ts), or null when there is no such part. */
  xml(name: string): Xml | null
  /** The part's bytes, inflated, or null when there is no such part. */
  bytes(name: string): Buffer | null
  /** Archive names of the parts inflated so far, each to exactly its declared size. */
  inflated: ReadonlySet<string>
}

const STORED = 0
const DEFLATED = 8
const ENCRYPTED = 0x1

function inflated(buf: Buffer, part: ZipPart): Buffer {
  const data = partData(buf, part)
  if (data === null) unmodeled(`part ${part.name} has no readable local header`)
  if (part.method === STORED) return data
  let bytes: Buffer
  try {
    // One output chunk of the declared size: no chunks to join afterwards.
    bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, part.size), chunkSize: Math.max(64, part.size) })
  } catch {
    unmodeled(`part ${part.name} does not inflate`)
  }
  if (bytes.length !== part.size) unmodeled(`part ${part.name} inflates to other than its declared size`)
  return bytes
}

/** `known`: parts the caller already holds ready to scan (it just wrote them), by name. */
export function xlsxParts(buf: Buffer, known: ReadonlyMap<string, Xml> = new Map()): XlsxParts {
  const listed = zipParts(buf)
  if (!listed.ok) unmodeled(listed.error)
  // JSZip keys entries by their own name: a later entry of the same name replaces an earlier one in its place.
  const byZipName = new Map<string, ZipPart>()
  for (const part of listed.value) {
    if (part.method !== STORED && part.method !== DEFLATED) unmodeled(`part ${part.name} uses compression method ${part.method}`)
    if ((part.flags & ENCRYPTED) !== 0) unmodeled(`part ${part.name} is encrypted`)
    if (partData(buf, part) === null) unmodeled(`part ${part.name} has no readable local header`)
    byZipName.set(part.name, part)
  }
  const byName = new Map<string, ZipPart>()
  const inflatedParts = new Set<string>()
  for (const [zipName, part] of byZipName) {
    if (zipName.endsWith('/')) continue
    const name = zipName.startsWith('/') ? zipName.slice(1) : zipName
    if (byName.has(name)) unmodeled(`two parts named ${name}`)
    byName.set(name, part)
  }
  const bytes = (name: string): Buffer | null => {
    const part = byName.get(name)
    if (part === undefined) return null
    inflatedParts.add(part.name)
    return known.get(name)?.bytes ?? inflated(buf, part)
  }
  return {
    names: [...byName.keys()],
    xml(name) {
      const ready = known.get(name)
      if (ready && byName.has(name)) {
        inflatedParts.add(byName.get(name)?.name ?? name)
        return ready
      }
      const found = bytes(name)
      return found === null ? null : xmlOf(found)
    },
    bytes,
    inflated: inflatedParts,
  }
}
