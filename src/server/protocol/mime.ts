/**
 * Just enough of MIME (RFC 2045-2047) to read what `POST /me/sendMail` takes in MIME format
 * (api-reference/v1.0/api/user-sendmail.md: "the MIME content as a base64-encoded string"): the
 * recipients, the subject, and the first plain-text and HTML parts, through nested multiparts,
 * in base64, quoted-printable or 7/8bit, in UTF-8 or another charset the runtime knows. An
 * attachment (a part with `Content-Disposition: attachment`) is skipped.
 */

export type MailAddress = { name: string; email: string }
export type ParsedMail = { to: MailAddress[]; cc: MailAddress[]; subject: string; text: string | null; html: string | null }

/** Whether a request body is the base64 the docs ask for (line breaks allowed, as in their example). */
export function isBase64(body: string): boolean {
  const compact = body.replace(/\s+/g, '')
  return compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)
}

export function decodeBase64(body: string): Uint8Array {
  return Uint8Array.from(Buffer.from(body.replace(/\s+/g, ''), 'base64'))
}

function decodeBytes(bytes: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset.trim() || 'utf-8').decode(bytes)
  } catch {
    return new TextDecoder('utf-8').decode(bytes)
  }
}

/** Text as bytes one-to-one (what a MIME body is before its transfer encoding is undone). */
const latin1Bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)

function quotedPrintable(text: string): Uint8Array {
  const unfolded = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < unfolded.length; i += 1) {
    const c = unfolded[i] ?? ''
    const hex = unfolded.slice(i + 1, i + 3)
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else bytes.push(c.charCodeAt(0) & 0xff)
  }
  return Uint8Array.from(bytes)
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?iso-8859-1?Q?…?=`) in a header value. */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) =>
      decodeBytes(encoding.toUpperCase() === 'B' ? decodeBase64(text) : quotedPrintable(text.replace(/_/g, ' ')), charset),
    )
}

type Part = { headers: Map<string, string>; body: string }

function splitPart(raw: string): Part {
  const text = raw.replace(/^\r?\n/, '')
  const cut = text.search(/\r?\n\r?\n/)
  const head = cut < 0 ? text : text.slice(0, cut)
  const body = cut < 0 ? '' : text.slice(cut).replace(/^\r?\n\r?\n/, '')
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim())
  }
  return { headers, body }
}

/** A header's parameter (`boundary`, `charset`), quoted or not. */
function parameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value)
  return match ? (match[1] ?? match[2] ?? null) : null
}

/** `"Name" <a@b>, c@d, =?UTF-8?B?…?= <e@f>` → addresses. Commas inside quotes are kept. */
export function parseAddresses(value: string): MailAddress[] {
  const list: string[] = []
  let current = ''
  let quoted = false
  for (const c of value) {
    if (c === '"') quoted = !quoted
    if (c === ',' && !quoted) {
      list.push(current)
      current = ''
    } else current += c
  }
  list.push(current)
  return list
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const angle = /^(.*)<([^>]+)>\s*$/.exec(item)
      if (!angle) return { name: '', email: item }
      const name = decodeWords((angle[1] ?? '').trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'))
      return { name, email: (angle[2] ?? '').trim() }
    })
}

function bodyText(part: Part): string {
  const type = part.headers.get('content-type') ?? 'text/plain'
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const charset = parameter(type, 'charset') ?? 'utf-8'
  const bytes = encoding === 'base64' ? decodeBase64(part.body) : encoding === 'quoted-printable' ? quotedPrintable(part.body) : latin1Bytes(part.body)
  return decodeBytes(bytes, charset).replace(/\r?\n$/, '')
}

function collect(part: Part, found: { text: string | null; html: string | null }, depth = 0): void {
  const type = (part.headers.get('content-type') ?? 'text/plain').toLowerCase()
  if ((part.headers.get('content-disposition') ?? '').toLowerCase().startsWith('attachment')) return
  if (type.startsWith('multipart/') && depth < 5) {
    const boundary = parameter(part.headers.get('content-type') ?? '', 'boundary')
    if (boundary === null) return
    const pieces = part.body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?$`, 'm'))
    for (const piece of pieces.slice(1, -1)) collect(splitPart(piece), found, depth + 1)
    return
  }
  if (type.startsWith('text/html') && found.html === null) found.html = bodyText(part)
  else if (type.startsWith('text/plain') && found.text === null) found.text = bodyText(part)
}

/** The MIME message (already base64-decoded, as bytes). */
export function parseMime(bytes: Uint8Array): ParsedMail {
  // Headers and boundaries are ASCII; each part's own charset is applied when it is decoded.
  const message = splitPart(decodeBytes(bytes, 'latin1'))
  const found = { text: null as string | null, html: null as string | null }
  collect(message, found)
  return {
    to: parseAddresses(message.headers.get('to') ?? ''),
    cc: parseAddresses(message.headers.get('cc') ?? ''),
    subject: decodeWords(message.headers.get('subject') ?? ''),
    ...found,
  }
}
