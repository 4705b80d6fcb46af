import { isAscii } from 'node:buffer'
import { unmodeled } from './unmodeled.ts'

/**
 * Text and attribute values as the SAX parser under exceljs (saxes) hands them over, and the
 * decoding exceljs adds on top. Anything saxes would fail on is unmodeled: exceljs would call
 * the workbook damaged, and the fallback says so in exceljs's own words.
 */

/**
 * A part to scan. `text` holds one character per byte (latin1), so positions are byte offsets
 * and no time goes into decoding markup; `content` gives a stretch of character data or an
 * attribute value as the UTF-8 it is. Tags and entities are ASCII, so cutting at them never
 * splits a character.
 */
export type Xml = {
  readonly text: string
  /** The bytes `text` spells, one character per byte (after any byte order mark). */
  readonly bytes: Buffer
  content(from: number, to: number): string
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
/** U+FFFE and U+FFFF in UTF-8: characters XML forbids. */
const NONCHARACTERS = [Buffer.from([0xef, 0xbf, 0xbe]), Buffer.from([0xef, 0xbf, 0xbf])]
/** The other characters XML forbids. */
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/
const NOT_ASCII = /[\x80-\xff]/
/** Substrings shorter than this are copies in V8 anyway (longer ones are views of their parent). */
const SHORT = 13

/** Markup saxes rejects or reports in ways exceljs ignores (comments, CDATA, doctypes), and characters XML forbids. */
function unmodeledMarkup(text: string, bytes: Buffer): boolean {
  return text.includes('<!') || text.includes(']]>') || CONTROL.test(text) || NONCHARACTERS.some((n) => bytes.includes(n))
}

/** A part ready to scan: saxes skips a leading byte order mark; markup the reader leaves to exceljs is refused here. */
export function xmlOf(part: Buffer): Xml {
  const bytes = part.subarray(0, 3).equals(BOM) ? part.subarray(3) : part
  const text = bytes.toString('latin1')
  if (unmodeledMarkup(text, bytes)) unmodeled('markup or characters the reader leaves to exceljs')
  // A big part's bytes are let go while its text is scanned (at L the CheckIns sheet is 37 MB
  // each way, a tenth of a `status`'s memory); only an edit asks for them again.
  return scannable(text, bytes.length < KEEP_BYTES_BELOW ? bytes : null, isAscii(bytes))
}

/**
 * A part this program edited (patch/sheet-xml.ts): `text` is the old part's text with the
 * edits spliced in, as `bytes` spell it. The old part passed `xmlOf`'s checks and the edits are
 * markup and escaped text of our own, so neither is converted or checked again.
 */
export function editedXml(text: string, bytes: Buffer): Xml {
  return scannable(text, bytes, isAscii(bytes))
}

const KEEP_BYTES_BELOW = 1 << 20

function scannable(text: string, given: Buffer | null, ascii: boolean): Xml {
  let bytes = given
  const spelled = (): Buffer => (bytes ??= Buffer.from(text, 'latin1'))
  return {
    text,
    get bytes() {
      return spelled()
    },
    content(from, to) {
      // V8 keeps a long substring as a view of the whole part; a copy of a cell's text does not keep the part alive.
      if (to - from >= SHORT) {
        if (bytes !== null) return bytes.toString(ascii ? 'latin1' : 'utf8', from, to)
        return Buffer.from(text.slice(from, to), 'latin1').toString(ascii ? 'latin1' : 'utf8')
      }
      const short = text.slice(from, to)
      return ascii || !NOT_ASCII.test(short) ? short : Buffer.from(short, 'latin1').toString('utf8')
    },
  }
}

const NAMED: ReadonlyMap<string, string> = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['apos', "'"], ['quot', '"']])

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
}

function entity(name: string): string {
  const named = NAMED.get(name)
  if (named !== undefined) return named
  let code = Number.NaN
  if (/^#x[0-9a-f]+$/i.test(name) && name[1] === 'x') code = parseInt(name.slice(2), 16)
  else if (/^#[0-9]+$/.test(name)) code = parseInt(name.slice(1), 10)
  if (!isXmlChar(code)) unmodeled(`entity &${name};`)
  return String.fromCodePoint(code)
}

function decodeEntities(text: string): string {
  let at = text.indexOf('&')
  if (at < 0) return text
  let out = ''
  let from = 0
  while (at >= 0) {
    const semicolon = text.indexOf(';', at + 1)
    if (semicolon < 0) unmodeled('an unterminated entity')
    out += text.slice(from, at) + entity(text.slice(at + 1, semicolon))
    from = semicolon + 1
    at = text.indexOf('&', from)
  }
  return out + text.slice(from)
}

/** Character data: line ends normalized (CR LF and a lone CR are LF), entities and character references decoded. */
export function decodeText(raw: string): string {
  const text = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n')
  return decodeEntities(text)
}

/** An attribute value: as text, with every line end and tab a space (character references excepted). */
export function decodeAttribute(raw: string): string {
  const text = /[\r\n\t]/.test(raw) ? raw.replace(/\r\n|[\r\n\t]/g, ' ') : raw
  if (text.indexOf('<') >= 0) unmodeled('"<" in an attribute value')
  return decodeEntities(text)
}

/** exceljs decodes ECMA-376's `_xHHHH_` (upper-case hex only) in `<t>` elements of shared strings and rich runs; one pass, so `_x005F_x0041_` is `_x0041_`. */
export function decodeXstring(text: string): string {
  return text.indexOf('_x') < 0 ? text : text.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/** exceljs's `xmlDecode`, applied a second time to `t="str"` values and sheet names: `&amp;lt;` in the file ends up `<`. */
export function xmlDecodeAgain(text: string): string {
  return text.indexOf('&') < 0 ? text : text.replace(/&([a-z]*);/g, (m) => NAMED.get(m.slice(1, -1)) ?? m)
}
