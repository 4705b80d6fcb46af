
/**
 * Maps a Graph path (below `/v1.0`) to the resource it names. Only the subset in GRAPH.md §1-2
 * is known; anything else is `unknown`, answered ApiNotFound like the service.
 */

/** Which drive the address named: `/me/drive` has no id; `/drives/{id}` and `/sites/{id}/drives/{id}` do. */
export type ItemAddress = { driveId: string | null; itemId: string }
/** A table addressed directly or through its worksheet (`worksheets/{ws}/tables/{t}`). */
export type TableAddress = { table: string; sheet: string | null }
export type TablePart = 'range' | 'headerRowRange' | 'dataBodyRange'
export type SessionAction = 'createSession' | 'refreshSession' | 'closeSession'

export type Route =
  | { kind: 'batch' }
  | { kind: 'me' }
  | { kind: 'share'; token: string }
  | { kind: 'driveItem'; item: ItemAddress }
  | { kind: 'session'; item: ItemAddress; action: SessionAction }
  /** api/workbook-list-tables.md, or a sheet's own (api/worksheet-list-tables.md). */
  | { kind: 'tables'; item: ItemAddress; sheet: string | null }
  /** api/tablecollection-add.md (`tables/add`) and api/worksheet-post-tables.md (`worksheets/{id|name}/tables/add`). */
  | { kind: 'tablesAdd'; item: ItemAddress; sheet: string | null }
  | { kind: 'table'; item: ItemAddress; table: TableAddress }
  /** api/worksheet-list.md (GET) and api/worksheetcollection-add.md, which shows both `POST worksheets` and `POST worksheets/add`. */
  | { kind: 'worksheets'; item: ItemAddress }
  | { kind: 'worksheetsAdd'; item: ItemAddress }
  /** api/worksheet-get.md. */
  | { kind: 'worksheet'; item: ItemAddress; sheet: string }
  | { kind: 'tablePart'; item: ItemAddress; table: TableAddress; part: TablePart }
  | { kind: 'columns'; item: ItemAddress; table: TableAddress }
  | { kind: 'column'; item: ItemAddress; table: TableAddress; column: string }
  | { kind: 'columnPart'; item: ItemAddress; table: TableAddress; column: string; part: TablePart }
  | { kind: 'rows'; item: ItemAddress; table: TableAddress }
  | { kind: 'rowsAdd'; item: ItemAddress; table: TableAddress }
  | { kind: 'rowAt'; item: ItemAddress; table: TableAddress; index: number }
  | { kind: 'worksheetRange'; item: ItemAddress; sheet: string; address: string }
  /** api/user-sendmail.md: `/me/sendMail` and `/users/{id | userPrincipalName}/sendMail`. */
  | { kind: 'sendMail'; user: string | null }
  /** api/userteamwork-sendactivitynotification.md: `/users/{userId | user-principal-name}/teamwork/sendActivityNotification`. */
  | { kind: 'activityNotification'; user: string }
  | { kind: 'unknown' }

export type RouteKind = Route['kind']

const UNKNOWN: Route = { kind: 'unknown' }

function decodeSegments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s))
  } catch {
    return null
  }
}

const is = (segment: string | undefined, word: string): boolean => segment?.toLowerCase() === word.toLowerCase()

/** Splits off a drive item address in any of the forms of GRAPH.md §1; returns the rest. */
function itemAddress(s: string[]): { item: ItemAddress; rest: string[] } | null {
  const itemAfter = (i: number, driveId: string | null) =>
    is(s[i], 'items') && s[i + 1] !== undefined ? { item: { driveId, itemId: s[i + 1] ?? '' }, rest: s.slice(i + 2) } : null
  if (is(s[0], 'me') && is(s[1], 'drive')) return itemAfter(2, null)
  if (is(s[0], 'drives') && s[1] !== undefined) return itemAfter(2, s[1])
  // api/driveitem-get.md lists the group, site and user forms.
  if ((is(s[0], 'sites') || is(s[0], 'groups') || is(s[0], 'users')) && s[1] !== undefined) {
    if (is(s[2], 'drive')) return itemAfter(3, null)
    // `/sites/{site}/drives/{drive}/items/{id}` works on the service (contrib#1003).
    if (is(s[0], 'sites') && is(s[2], 'drives') && s[3] !== undefined) return itemAfter(4, s[3])
  }
  return null
}

const TABLE_PARTS: readonly TablePart[] = ['range', 'headerRowRange', 'dataBodyRange']
const ITEM_AT = /^itemAt\(index=(\d+)\)$/i
const RANGE_ADDRESS = /^range\(address=(?:'((?:[^']|'')*)'|"([^"]*)")\)$/i

function tableRoute(item: ItemAddress, table: TableAddress, s: string[]): Route {
  const [first, second, third, ...more] = s
  if (first === undefined) return { kind: 'table', item, table }
  if (s.length === 1) {
    for (const part of TABLE_PARTS) if (is(first, part)) return { kind: 'tablePart', item, table, part }
    if (is(first, 'columns')) return { kind: 'columns', item, table }
    if (is(first, 'rows')) return { kind: 'rows', item, table }
    return UNKNOWN
  }
  if (is(first, 'columns') && second !== undefined && s.length === 2) return { kind: 'column', item, table, column: second }
  // api/tablecolumn-range.md, tablecolumn-headerrowrange.md, tablecolumn-databodyrange.md.
  if (is(first, 'columns') && second !== undefined && third !== undefined && more.length === 0) {
    for (const part of TABLE_PARTS) if (is(third, part)) return { kind: 'columnPart', item, table, column: second, part }
    return UNKNOWN
  }
  if (is(first, 'rows') && second !== undefined && more.length === 0) {
    if (third === undefined && is(second, 'add')) return { kind: 'rowsAdd', item, table }
    // `rows/$/itemAt(index=N)` is another form seen in the wild (GRAPH.md §12); `rows/{N}` is not served.
    const at = ITEM_AT.exec(third === undefined ? second : second === '$' ? third : '')
    if (at) return { kind: 'rowAt', item, table, index: Number(at[1]) }
  }
  return UNKNOWN
}

function workbookRoute(item: ItemAddress, s: string[]): Route {
  const [first, second, third, ...rest] = s
  if (s.length === 1) {
    for (const action of ['createSession', 'refreshSession', 'closeSession'] as const) if (is(first, action)) return { kind: 'session', item, action }
    if (is(first, 'tables')) return { kind: 'tables', item, sheet: null }
    if (is(first, 'worksheets')) return { kind: 'worksheets', item }
    return UNKNOWN
  }
  // `add` is the collection's action, as on the service: a table or sheet named "add" is reached by id.
  if (is(first, 'tables') && is(second, 'add') && s.length === 2) return { kind: 'tablesAdd', item, sheet: null }
  if (is(first, 'tables') && second !== undefined) return tableRoute(item, { table: second, sheet: null }, s.slice(2))
  if (is(first, 'worksheets') && second !== undefined && third === undefined) {
    return is(second, 'add') ? { kind: 'worksheetsAdd', item } : { kind: 'worksheet', item, sheet: second }
  }
  if (is(first, 'worksheets') && second !== undefined && third !== undefined) {
    if (rest.length === 0) {
      const m = RANGE_ADDRESS.exec(third)
      if (m) return { kind: 'worksheetRange', item, sheet: second, address: m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '') }
      if (is(third, 'tables')) return { kind: 'tables', item, sheet: second }
    }
    const [tableName, ...tail] = rest
    if (is(third, 'tables') && is(tableName, 'add') && tail.length === 0) return { kind: 'tablesAdd', item, sheet: second }
    if (is(third, 'tables') && tableName !== undefined) return tableRoute(item, { table: tableName, sheet: second }, tail)
  }
  return UNKNOWN
}

export function routeOf(path: string): Route {
  const s = decodeSegments(path)
  if (s === null) return UNKNOWN
  if (s.length === 1 && s[0] === '$batch') return { kind: 'batch' }
  if (s.length === 1 && is(s[0], 'me')) return { kind: 'me' }
  if (s.length === 3 && is(s[0], 'shares') && is(s[2], 'driveItem') && s[1] !== undefined) return { kind: 'share', token: s[1] }
  if (s.length === 2 && is(s[0], 'me') && is(s[1], 'sendMail')) return { kind: 'sendMail', user: null }
  if (s.length === 3 && is(s[0], 'users') && s[1] !== undefined && is(s[2], 'sendMail')) return { kind: 'sendMail', user: s[1] }
  if (s.length === 4 && is(s[0], 'users') && s[1] !== undefined && is(s[2], 'teamwork') && is(s[3], 'sendActivityNotification')) return { kind: 'activityNotification', user: s[1] }
  const addressed = itemAddress(s)
  if (!addressed) return UNKNOWN
  const [head, ...tail] = addressed.rest
  if (head === undefined) return { kind: 'driveItem', item: addressed.item }
  if (is(head, 'workbook') && tail.length > 0) return workbookRoute(addressed.item, tail)
  return UNKNOWN
}

/** Which methods each resource answers; anything else is 405 methodNotAllowed. */
const ALLOWED_METHODS: Readonly<Record<RouteKind, readonly string[]>> = {
  batch: ['POST'],
  session: ['POST'],
  rowsAdd: ['POST'],
  rows: ['GET', 'POST'],
  rowAt: ['GET', 'PATCH', 'DELETE'],
  me: ['GET'],
  share: ['GET'],
  driveItem: ['GET'],
  tables: ['GET'],
  // api/tablecollection-add.md, api/worksheet-post-tables.md
  tablesAdd: ['POST'],
  // api/table-get.md, api/table-update.md
  table: ['GET', 'PATCH'],
  // api/worksheet-list.md; api/worksheetcollection-add.md
  worksheets: ['GET', 'POST'],
  worksheetsAdd: ['POST'],
  // api/worksheet-get.md
  worksheet: ['GET'],
  tablePart: ['GET'],
  columns: ['GET'],
  column: ['GET'],
  columnPart: ['GET'],
  // api/range-get.md, api/range-update.md
  worksheetRange: ['GET', 'PATCH'],
  sendMail: ['POST'],
  activityNotification: ['POST'],
  unknown: [],
}

export function allowedMethods(kind: RouteKind): readonly string[] {
  return ALLOWED_METHODS[kind]
}
