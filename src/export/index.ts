import type { Dashboard } from '../app/dashboard.ts'
import { slug } from './format.ts'
import { writePacket, type PacketOptions } from './packet.ts'
import { renderReport } from './report.ts'
import { boardView, type BoardOptions } from './view.ts'

/**
 * The board export (issue 12): the entry point the CLI imports and the pages load through
 * `import()`, so the export code is fetched only when someone exports.
 *
 *   const { buildBoardPacket, exportFileName, PACKET_MIME } = await import('../export/index.ts')
 *   const bytes = await buildBoardPacket(dashboard, { source, onProgress: (p) => setShare(p.done / p.total) })
 *   download(new Blob([bytes], { type: PACKET_MIME }), exportFileName(dashboard, 'xlsx'))
 *
 * Both take the dashboard snapshot of src/app (`loadDashboard`), so statuses are the engine's, the
 * same as `pm-workbook status --json` at the same as-of date (the snapshot's), and neither touches
 * the workbook.
 */

export type { BoardFilter, BoardOptions } from './view.ts'
export type { ExportProgress, ExportStage, PacketSheet } from './packet.ts'
export { PACKET_SHEETS, SHEET_NAMES } from './packet.ts'
export { departmentsOf, pillarsOf, PUBLIC_OMISSIONS } from './view.ts'

export type BoardPacketOptions = BoardOptions & PacketOptions
export type ReportOptions = BoardOptions

export const PACKET_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
export const REPORT_MIME = 'text/html;charset=utf-8'

/** The board packet as .xlsx bytes: Summary, measures and check-ins, action steps (or the sheets asked for). */
export async function buildBoardPacket(snapshot: Dashboard, options: BoardPacketOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return writePacket(boardView(snapshot, options), options)
}

/** The report as one self-contained HTML document; `public: true` gives the public page. */
export function buildReport(snapshot: Dashboard, options: ReportOptions = {}): string {
  return renderReport(boardView(snapshot, options))
}

/** "riverbend-unified-school-district-board-packet-2026-11-24.xlsx", "…-progress-public-2026-11-24.html". */
export function exportFileName(snapshot: Pick<Dashboard, 'district' | 'asOf'>, kind: 'xlsx' | 'html', options: Pick<BoardOptions, 'public' | 'department' | 'pillar'> = {}): string {
  const what = kind === 'xlsx' ? 'board-packet' : 'progress'
  const scope = [options.department, options.pillar].filter((s): s is string => Boolean(s?.trim())).map(slug)
  return [slug(snapshot.district || 'plan'), what, ...scope, ...(options.public ? ['public'] : []), snapshot.asOf].join('-') + `.${kind}`
}
