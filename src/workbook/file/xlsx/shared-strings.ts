import { richRun, skipElement, textElement } from './rich-text.ts'
import { decodeText, decodeXstring, type Xml } from './xml-text.ts'
import { nextTagStart, readTag } from './xml-tags.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * xl/sharedStrings.xml as exceljs reads it: each `<si>` is its `<t>` text or its rich runs
 * (phonetic `<rPh>` runs ignored), `_xHHHH_` decoded; an `<si>` with neither is an empty object,
 * which reads as "". Only a plain-text entry is a string to exceljs (table-model.ts compares
 * header cells only when they are), so that is kept too.
 */

export type SharedStrings = {
  count: number
  /** The entry's text (rich runs joined), undefined past the end. */
  text(index: number): string | undefined
  /** Whether exceljs holds the entry as a plain string (not rich text, not empty). */
  isPlain(index: number): boolean
}

type Entry = { text: string; plain: boolean }

const EMPTY: Entry = { text: '', plain: false }

/** The general case of an `<si>`: runs, phonetic runs, several `<t>` (the last wins, as in exceljs). */
function entryOf(xml: Xml, from: number): { entry: Entry; end: number } {
  let text: string | null = null
  let runs: string[] | null = null
  let at = from
  for (;;) {
    const lt = nextTagStart(xml.text, at)
    if (lt < 0) unmodeled('an unterminated <si>')
    const tag = readTag(xml, lt)
    if (tag.closing) {
      if (tag.name !== 'si') unmodeled('tags that do not nest in a shared string')
      const entry = text !== null ? { text, plain: true } : runs !== null ? { text: runs.join(''), plain: false } : EMPTY
      return { entry, end: tag.end }
    }
    if (tag.name === 't') {
      const read = textElement(xml, tag)
      // A `<t>` replaces whatever came before it, runs included.
      text = read.text
      runs = null
      at = read.end
    } else if (tag.name === 'r') {
      // exceljs adds a run to the entry's object; after a `<t>` the entry is a string, and that throws.
      if (text !== null) unmodeled('a rich run after plain text')
      const run = richRun(xml, tag)
      runs = [...(runs ?? []), run.text ?? '']
      at = run.end
    } else if (tag.name === 'rPh') {
      at = skipElement(xml, tag, 'rPh')
    } else if (tag.selfClosing) {
      at = tag.end
    } else {
      unmodeled(`<${tag.name}> in a shared string`)
    }
  }
}

const PLAIN_OPENS = ['<t>', '<t xml:space="preserve">']

/** The usual `<si><t>…</t></si>`, read without the general walk. */
function plainEntry(xml: Xml, from: number): { entry: Entry; end: number } | null {
  const text = xml.text
  const open = PLAIN_OPENS.find((o) => text.startsWith(o, from))
  if (open === undefined) return null
  const start = from + open.length
  const lt = text.indexOf('<', start)
  if (lt < 0 || !text.startsWith('</t></si>', lt)) return null
  return { entry: { text: decodeXstring(decodeText(xml.content(start, lt))), plain: true }, end: lt + 9 }
}

export function readSharedStrings(xml: Xml): SharedStrings {
  const entries: Entry[] = []
  let lt = nextTagStart(xml.text, 0)
  if (lt < 0) unmodeled('an empty shared strings part')
  const root = readTag(xml, lt)
  if (root.closing || root.name !== 'sst') unmodeled('a shared strings part without <sst>')
  let at = root.end
  while (!root.selfClosing) {
    lt = nextTagStart(xml.text, at)
    if (lt < 0) unmodeled('an unterminated <sst>')
    const tag = readTag(xml, lt)
    if (tag.closing && tag.name === 'sst') break
    // exceljs throws on anything else directly inside <sst>.
    if (tag.closing || tag.name !== 'si') unmodeled(`<${tag.name}> in <sst>`)
    if (tag.selfClosing) {
      entries.push(EMPTY)
      at = tag.end
      continue
    }
    const read = plainEntry(xml, tag.end) ?? entryOf(xml, tag.end)
    entries.push(read.entry)
    at = read.end
  }
  return {
    count: entries.length,
    text: (index) => entries[index]?.text,
    isPlain: (index) => entries[index]?.plain === true,
  }
}
