/**
 * ECMA-376's ST_Xstring escape (Part 1, §22.9.2.19), as Excel writes it: what XML 1.0 cannot carry
 * (controls other than tab and LF, U+FFFE, U+FFFF, lone surrogates), CR (a parser would read it
 * back as LF) and a literal `_xHHHH_` (a reader would decode it) become `_xHHHH_`; `_` itself is
 * `_x005F_`. Used for cell text by the packet's writer and, around exceljs, by the file backend.
 */
const NEEDS_ESCAPE = /[\x00-\x08\x0B-\x1F\x7F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|_(?=x[0-9A-Fa-f]{4}_)/
const TO_ESCAPE = new RegExp(NEEDS_ESCAPE.source, 'g')

export function needsXstringEscape(text: string): boolean {
  return NEEDS_ESCAPE.test(text)
}

export function escapeXstring(text: string): string {
  return text.replace(TO_ESCAPE, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`)
}
