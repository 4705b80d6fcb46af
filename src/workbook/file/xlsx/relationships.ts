import { xmlEvents } from './xml-tags.ts'
import type { Xml } from './xml-text.ts'
import { unmodeled } from './unmodeled.ts'

/** A .rels part as exceljs reads it: each Relationship's Target by Id (a later Id replaces an earlier one). */
export function readRelationships(xml: Xml | null): Map<string, string | undefined> {
  const targets = new Map<string, string | undefined>()
  if (xml === null) return targets
  let depth = 0
  for (const event of xmlEvents(xml)) {
    if (event.kind === 'close') depth -= 1
    if (event.kind !== 'open') continue
    depth += 1
    const { name, attributes } = event.tag
    // exceljs throws on any other element.
    if (depth === 1 ? name !== 'Relationships' : depth !== 2 || name !== 'Relationship') unmodeled(`<${name}> in a relationships part`)
    if (depth === 2) targets.set(String(attributes['Id']), attributes['Target'])
  }
  return targets
}
