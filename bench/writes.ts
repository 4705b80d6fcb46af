/**
 * The local server's write throughput: WRITERS callers at once, each adding CheckIns rows one
 * after another (sessionless `rows/add`, each its own save or part of a group's), straight to the
 * server. Latency is per write, from send to answer.
 *
 * Capped, so a slow server cannot stall the bench: no writer starts a write after `capMs`, and
 * a write still unanswered at `cutOffMs` is abandoned (the connection closed; the server then
 * never applies it). An abandoned write counts in the latencies at the time it was cut off, so
 * p50/p95 are then lower bounds, and it is not in the throughput.
 */

export const WRITERS = 20

export type WriteFigures = {
  writers: number
  /** Writes answered 200. */
  completed: number
  failed: number
  /** Abandoned at the cut-off, unanswered. */
  cutOff: number
  ms: number
  writesPerSecond: number
  p50Ms: number
  p95Ms: number
  /** Some writes were cut off: the percentiles are at least these. */
  lowerBound: boolean
  saves: number | null
  error?: string
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
}

export async function measureWrites(server: { graphBaseUrl: string; driveItemId: string; saves(): Promise<number | null> }, options: { perWriter: number; capMs: number; cutOffMs: number }): Promise<WriteFigures> {
  const base = `${server.graphBaseUrl}/me/drive/items/${server.driveItemId}/workbook/tables/CheckIns`
  const empty = { writers: WRITERS, completed: 0, failed: 0, cutOff: 0, ms: 0, writesPerSecond: 0, p50Ms: 0, p95Ms: 0, lowerBound: false, saves: null }
  try {
    const header = (await (await fetch(`${base}/headerRowRange?$select=values`)).json()) as { values?: unknown[][] }
    const width = header.values?.[0]?.length ?? 0
    if (width === 0) throw new Error('no CheckIns header row')
    const savesBefore = await server.saves()
    const cutOff = new AbortController()
    const latencies: number[] = []
    let completed = 0
    let failed = 0
    let abandoned = 0
    let lastAnswer = 0
    const start = performance.now()
    const timer = setTimeout(() => cutOff.abort(), options.cutOffMs)
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < options.perWriter && performance.now() - start < options.capMs && !cutOff.signal.aborted; i += 1) {
          const row = Array.from({ length: width }, (_, c) => (c === 0 ? `BENCH-${w}-${i}` : ''))
          const sent = performance.now()
          try {
            const res = await fetch(`${base}/rows/add`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ values: [row] }), signal: cutOff.signal })
            await res.arrayBuffer()
            const now = performance.now()
            latencies.push(now - sent)
            lastAnswer = now
            if (res.status === 200) completed += 1
            else failed += 1
          } catch {
            if (cutOff.signal.aborted) {
              abandoned += 1
              latencies.push(performance.now() - sent)
            } else failed += 1
          }
        }
      }),
    )
    clearTimeout(timer)
    const ms = (abandoned > 0 ? performance.now() : lastAnswer) - start
    latencies.sort((a, b) => a - b)
    const savesAfter = await server.saves()
    const saves = savesAfter !== null && savesBefore !== null ? savesAfter - savesBefore : null
    return { writers: WRITERS, completed, failed, cutOff: abandoned, ms, writesPerSecond: ms > 0 ? (completed / ms) * 1000 : 0, p50Ms: percentile(latencies, 50), p95Ms: percentile(latencies, 95), lowerBound: abandoned > 0, saves }
  } catch (error) {
    return { ...empty, error: error instanceof Error ? error.message : String(error) }
  }
}
