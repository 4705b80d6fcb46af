/**
 * `$select` as OData defines it: keep only the named properties. Applied to an entity, or to
 * each entity of a `{ value: [...] }` collection. Unknown names are ignored, as the service does
 * for properties it cannot project.
 */
export function applySelect(body: unknown, select: string | null): unknown {
  if (select === null || select.trim() === '' || typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const wanted = select.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '')
  const project = (entity: unknown): unknown => {
    if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) return entity
    return Object.fromEntries(Object.entries(entity).filter(([k]) => k.startsWith('@odata.') || wanted.includes(k.toLowerCase())))
  }
  const record = body as Record<string, unknown>
  if (Array.isArray(record['value'])) return { ...record, value: record['value'].map(project) }
  return project(body)
}
