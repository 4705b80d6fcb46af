import { decodeText, decodeXstring, type Xml } from './xml-text.ts'
import { nextTagStart, readTag, type Tag } from './xml-tags.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * The text elements shared strings and inline strings are made of, read as exceljs's text and
 * rich-text parsers read them: a `<t>`'s text with `_xHHHH_` decoded, a rich run's last `<t>`.
 */

/** Text up to the matching close of `name`, with no element inside (exceljs's text parsers stop at the first close). */
export function textUntilClose(xml: Xml, from: number, name: string): { text: string; end: number } {
  // Not nextTagStart: a processing instruction here would split the text.
  const lt = xml.text.indexOf('<', from)
  if (lt < 0) unmodeled(`an unterminated <${name}>`)
  const tag = readTag(xml, lt)
  if (!tag.closing || tag.name !== name) unmodeled(`an element inside <${name}>`)
  return { text: decodeText(xml.content(from, lt)), end: tag.end }
}

/** `<t>` content as exceljs's TextXform models it: its text, `_x` escapes decoded. */
export function textElement(xml: Xml, tag: Tag): { text: string; end: number } {
  if (tag.selfClosing) return { text: '', end: tag.end }
  const read = textUntilClose(xml, tag.end, 't')
  return { text: decodeXstring(read.text), end: read.end }
}

/** Past the close of `name`; its content is skipped without being read. */
export function skipElement(xml: Xml, tag: Tag, name: string): number {
  if (tag.selfClosing) return tag.end
  const close = xml.text.indexOf(`</${name}>`, tag.end)
  if (close < 0) unmodeled(`an unterminated <${name}>`)
  return close + name.length + 3
}

/** One `<r>`: its last `<t>` (a run without one has no text), formatting skipped. */
export function richRun(xml: Xml, open: Tag): { text: string | undefined; end: number } {
  if (open.selfClosing) return { text: undefined, end: open.end }
  let text: string | undefined
  let at = open.end
  for (;;) {
    const lt = nextTagStart(xml.text, at)
    if (lt < 0) unmodeled('an unterminated <r>')
    const tag = readTag(xml, lt)
    if (tag.closing) {
      if (tag.name !== 'r') unmodeled('tags that do not nest in a rich run')
      return { text, end: tag.end }
    }
    if (tag.name === 't') {
      const read = textElement(xml, tag)
      text = read.text
      at = read.end
    } else if (tag.name === 'rPr') {
      at = skipElement(xml, tag, 'rPr')
    } else {
      unmodeled(`<${tag.name}> in a rich run`)
    }
  }
}
