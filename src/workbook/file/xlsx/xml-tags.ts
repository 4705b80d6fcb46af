import { decodeAttribute, decodeText, type Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/**
 * One XML tag at a time, as saxes reports it to exceljs: name exactly as written (prefix
 * included, as exceljs matches names without namespaces), attributes decoded. Small parts are
 * walked as a stream of events (`xmlEvents`); sheets use `readTag` directly, so a row costs no
 * more than its own tags.
 */

export type Tag = {
  name: string
  closing: boolean
  selfClosing: boolean
  /** Only on opening tags; an empty record otherwise. */
  attributes: Record<string, string>
  /** Index just past the tag's `>`. */
  end: number
}

const NO_ATTRIBUTES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>)

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd
}

function nameEnd(xml: string, from: number): number {
  let at = from
  for (;;) {
    const code = xml.charCodeAt(at)
    if (Number.isNaN(code) || isSpace(code) || code === 0x2f || code === 0x3e || code === 0x3d) return at
    at += 1
  }
}

function skipSpace(xml: string, from: number): number {
  let at = from
  while (isSpace(xml.charCodeAt(at))) at += 1
  return at
}

/** The processing instruction at `lt` (an XML declaration, say): exceljs ignores them. */
function skipInstruction(xml: string, lt: number): number {
  const close = xml.indexOf('?>', lt + 2)
  if (close < 0) unmodeled('an unterminated processing instruction')
  return close + 2
}

/** The tag whose `<` is at `lt` (not a processing instruction: `nextTagStart` skips those). */
export function readTag(source: Xml, lt: number): Tag {
  const xml = source.text
  const second = xml.charCodeAt(lt + 1)
  if (second === 0x2f) {
    const stop = nameEnd(xml, lt + 2)
    const end = skipSpace(xml, stop)
    if (stop === lt + 2 || xml.charCodeAt(end) !== 0x3e) unmodeled('a malformed closing tag')
    return { name: xml.slice(lt + 2, stop), closing: true, selfClosing: false, attributes: NO_ATTRIBUTES, end: end + 1 }
  }
  const stop = nameEnd(xml, lt + 1)
  if (stop === lt + 1) unmodeled('a malformed tag')
  const name = xml.slice(lt + 1, stop)
  let attributes = NO_ATTRIBUTES
  let at = stop
  for (;;) {
    const spaced = skipSpace(xml, at)
    const code = xml.charCodeAt(spaced)
    if (code === 0x3e) return { name, closing: false, selfClosing: false, attributes, end: spaced + 1 }
    if (code === 0x2f) {
      if (xml.charCodeAt(spaced + 1) !== 0x3e) unmodeled('a malformed tag end')
      return { name, closing: false, selfClosing: true, attributes, end: spaced + 2 }
    }
    // saxes wants space between attributes.
    if (spaced === at || Number.isNaN(code)) unmodeled('a malformed attribute')
    const attributeEnd = nameEnd(xml, spaced)
    const equals = skipSpace(xml, attributeEnd)
    if (attributeEnd === spaced || xml.charCodeAt(equals) !== 0x3d) unmodeled('an attribute without a value')
    const open = skipSpace(xml, equals + 1)
    const quote = xml[open]
    if (quote !== '"' && quote !== "'") unmodeled('an unquoted attribute')
    const close = xml.indexOf(quote, open + 1)
    if (close < 0) unmodeled('an unterminated attribute')
    const attributeName = xml.slice(spaced, attributeEnd)
    if (attributes === NO_ATTRIBUTES) attributes = Object.create(null) as Record<string, string>
    if (attributeName in attributes) unmodeled('a repeated attribute')
    attributes[attributeName] = decodeAttribute(source.content(open + 1, close))
    at = close + 1
  }
}

/** The next `<` at or after `from` that starts a tag, skipping processing instructions; -1 at the end. */
export function nextTagStart(xml: string, from: number): number {
  let lt = xml.indexOf('<', from)
  while (lt >= 0 && xml.charCodeAt(lt + 1) === 0x3f) lt = xml.indexOf('<', skipInstruction(xml, lt))
  return lt
}

export type XmlEvent = { kind: 'open'; tag: Tag } | { kind: 'close'; name: string } | { kind: 'text'; text: string }

/**
 * Every event of a document up to the end of its root element, as saxes emits them: a
 * self-closing tag is an open and a close, text comes decoded. Tags that do not nest, text
 * outside the root and a document that ends early are unmodeled (saxes or exceljs fail on them).
 */
export function* xmlEvents(source: Xml): Generator<XmlEvent> {
  const xml = source.text
  const open: string[] = []
  let at = 0
  for (;;) {
    const lt = xml.indexOf('<', at)
    const raw = source.content(at, lt < 0 ? xml.length : lt)
    if (raw !== '') {
      if (open.length > 0) yield { kind: 'text', text: decodeText(raw) }
      else if (raw.trim() !== '') unmodeled('text outside the root element')
    }
    if (lt < 0) unmodeled('a part that ends inside an element')
    if (xml.charCodeAt(lt + 1) === 0x3f) {
      at = skipInstruction(xml, lt)
      continue
    }
    const tag = readTag(source, lt)
    at = tag.end
    if (tag.closing) {
      if (open.pop() !== tag.name) unmodeled('tags that do not nest')
      yield { kind: 'close', name: tag.name }
    } else {
      yield { kind: 'open', tag }
      if (tag.selfClosing) yield { kind: 'close', name: tag.name }
      else open.push(tag.name)
    }
    if (open.length === 0) return
  }
}
