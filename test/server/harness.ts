import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { AuthenticationHandler, Client, HTTPMessageHandler } from '@microsoft/microsoft-graph-client'
import { loadWorkbook, saveWorkbookAtomically } from '../../src/workbook/file/workbook-file.ts'
import { tableRange } from '../../src/workbook/file/tables.ts'
import type { CellValue } from '../../src/workbook/raw.ts'
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.ts'
import { describeError } from '../../src/messages/errors.ts'

/** Shared setup for the server tests: a workbook built in code, a running server, the SDK client we ship. */

export const CHANGELOG_COLUMNS = ['At', 'By', 'Source', 'Table', 'Key', 'Column', 'OldValue', 'NewValue', 'ChangeId']

/** Tables off A1, on sheets with spaces, with an extra column the product must never touch. */
export async function writeSampleWorkbook(path: string): Promise<void> {
  const wb = new ExcelJS.Workbook()
  const plan = wb.addWorksheet('Plan')
  plan.getCell('A1').value = 'District plan 2024-25'
  plan.addTable({
    name: 'WIGs',
    ref: 'B3',
    headerRow: true,
    columns: ['WigId', 'Title', 'TargetDate', 'Baseline', 'Target', 'Board Notes'].map((name) => ({ name })),
    rows: [
      ['W-1', 'Raise PM literacy', new Date(Date.UTC(2025, 5, 30)), 18, 75, 'keep me'],
      ['W-2', 'Control tower', new Date(Date.UTC(2025, 6, 31)), null, null, 'and me'],
    ],
  })
  const log = wb.addWorksheet('Audit Log')
  log.addTable({
    name: 'ChangeLog',
    ref: 'C2',
    headerRow: true,
    columns: CHANGELOG_COLUMNS.map((name) => ({ name })),
    rows: [['2025-01-01T00:00:00Z', 'a@district.org', 'cli', 'WIGs', 'W-1', 'Title', '', 'Raise PM literacy', 'c-0']],
  })
  const checkIns = wb.addWorksheet('CheckIns')
  checkIns.addTable({
    name: 'CheckIns',
    ref: 'A1',
    headerRow: true,
    columns: ['CheckInId', 'WigId', 'Date', 'Value'].map((name) => ({ name })),
    rows: [['C-1', 'W-1', new Date(Date.UTC(2024, 9, 1)), 20]],
  })
  await wb.xlsx.writeFile(path)
}

export type Harness = { dir: string; workbook: string; server: RunningServer; client: Client; log: string[]; wb: string; close(): Promise<void> }

/** A running server over the sample workbook, or over one `write` builds. */
export async function startHarness(options: Omit<ServerOptions, 'workbook'> = {}, write: (path: string) => Promise<void> = writeSampleWorkbook): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'pmw-server-'))
  const workbook = join(dir, 'plan.xlsx')
  await write(workbook)
  const log: string[] = []
  const server = await startServer({ ...options, workbook, log: (line) => log.push(line) })
  return {
    dir,
    workbook,
    server,
    client: graphClient(server),
    log,
    wb: `/me/drive/items/${server.driveItemId}/workbook`,
    async close() {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The SDK with an explicit chain and no RetryHandler, so every status the server sends reaches the test. */
export function graphClient(server: RunningServer): Client {
  const auth = new AuthenticationHandler({ getAccessToken: async () => 'local-token' })
  auth.setNext(new HTTPMessageHandler())
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${server.origin}/graph`, defaultVersion: 'v1.0' })
}

/** Raw fetch against the Graph root, for bodies and headers the SDK would not send. */
export function graphFetch(server: RunningServer, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.graphBaseUrl}${path}`, init)
}

export const jsonInit = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

/**
 * A raw HTTP GET with exactly the headers given (fetch always adds Accept-Encoding and
 * decompresses), answering the status, headers and the body bytes as they came off the wire.
 */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Data rows of a table as saved on disk, read back with exceljs. */
export async function rowsOnDisk(path: string, table: string): Promise<CellValue[][]> {
  const wb = await loadWorkbook(path)
  if (!wb.ok) throw new Error(describeError(wb.error))
  const body = tableRange(wb.value, table, 'body')
  if (!body) throw new Error(`no table ${table}`)
  return body.values
}

/** Status and parsed body of a GraphError thrown by the SDK (its body is the OData `error` object itself). */
export function graphErrorOf(e: unknown): { statusCode: number; code: string | null; body: unknown; headers: Headers | undefined } {
  const ge = e as { statusCode?: number; code?: string | null; body?: unknown; headers?: Headers }
  const body = typeof ge.body === 'string' ? (JSON.parse(ge.body) as unknown) : ge.body
  return { statusCode: ge.statusCode ?? 0, code: ge.code ?? null, body, headers: ge.headers }
}

/** A promise the lock's `onWait` hook settles: a write is now waiting for the lock (no timing). */
export function waitSignal(): { onWait: () => void; waiting: Promise<void> } {
  let signal = () => undefined as void
  const waiting = new Promise<void>((resolve) => (signal = resolve))
  return { onWait: () => signal(), waiting }
}

/**
 * Another program takes `{workbook}.lock` (naming this live process) and saves a change of its
 * own, atomically, as every writer of the protocol does: CheckIns!D2 becomes 99.
 */
export async function anotherProgramSaves(workbook: string): Promise<void> {
  await writeFile(`${workbook}.lock`, `${process.pid}\n${hostname()}\n`)
  const theirs = await loadWorkbook(workbook)
  if (!theirs.ok) throw new Error(describeError(theirs.error))
  const sheet = theirs.value.getWorksheet('CheckIns')
  if (!sheet) throw new Error('no CheckIns sheet')
  sheet.getCell('D2').value = 99
  await saveWorkbookAtomically(theirs.value, workbook)
}
