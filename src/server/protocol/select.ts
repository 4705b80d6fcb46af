/**
 * `$select` as OData defines it: keep only the named properties. Names compare
 * case-insensitively; unknown names are ignored, as the service does for properties it cannot
 * project.
 */

/** The lower-cased property names a `$select` asks for; null when it asks for no projection. */
export function selectedNames(select: string | null): ReadonlySet<string> | null {
  if (select === null || select.trim() === '') return null
  return new Set(select.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))
}

/**
 * Applied to an entity, or to each entity of a `{ value: [...] }` collection. Resources that
 * are costly to build (ranges) apply the same names while building instead (handlers/ranges.ts);
 * running this again on their result changes nothing.
 */
export function applySelect(body: unknown, select: string | null): unknown {
  const wanted = selectedNames(select)
  if (wanted === null || typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const project = (entity: unknown): unknown => {
    if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) return entity
    return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@odata.') || wanted.has(k.toLowerCase())))
  }
  const record = body as Record<string, unknown>
  if (Array.isArray(record['value'])) return { ...record, value: record['value'].map(project) }
  return project(body)
}
