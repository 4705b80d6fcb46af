import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { todayIso } from '../src/domain/dates.ts'
import { BENCH_CACHE, SIZES, sizedWorkbook } from './sizes.ts'
import { printReport, report, seconds, type DrillReport } from './drills/common.ts'
import { killDrill } from './drills/kill.ts'
import { malformedDrill } from './drills/malformed.ts'
import { raceDrill } from './drills/race.ts'
import { sessionDrill } from './drills/session.ts'
import { throttleDrill } from './drills/throttle.ts'
import { writersDrill } from './drills/writers-l.ts'

/**
 * `npm run drill` (`npm run -s drill -- --json` for a JSON copy on stdout, the report then on
 * stderr; `-- --only throttle,kill` for some): the fault drills of issue 14. Each prints what it tried, what happened, what was lost and duplicated
 * (both must be 0) and its time; the exit code is 1 when anything was lost, duplicated or
 * crashed, or a drill's own condition failed (every update landed, every answer matches the
 * disk, every problem placed). Every random choice comes from a seed (`--seed N`, 14 by
 * default), so a run repeats; timings are the machine's.
 */

const DRILLS = ['throttle', 'session', 'kill', 'writers', 'race', 'check'] as const
type DrillKey = (typeof DRILLS)[number]

const args = parseArgs({ options: { json: { type: 'boolean' }, only: { type: 'string' }, seed: { type: 'string' } }, strict: true })
const only = new Set((args.values.only ?? DRILLS.join(',')).split(',').map((s) => s.trim()))
for (const key of only) if (!(DRILLS as readonly string[]).includes(key)) throw new Error(`Unknown drill "${key}"; the drills are ${DRILLS.join(', ')}.`)
const seed = Number(args.values.seed ?? 14)
/** The readable report goes to stdout, or to stderr when stdout carries the JSON copy (as `npm run bench` does). */
const print = (line: string) => (args.values.json ? process.stderr : process.stdout).write(`${line}\n`)

const started = Date.now()
const asOf = todayIso()
print(`Fault drills (seed ${seed}, ${availableParallelism()} cores, Node ${process.version})`)

const reports: DrillReport[] = []
async function run(key: DrillKey, drill: () => Promise<DrillReport>): Promise<void> {
  if (!only.has(key)) return
  const t = Date.now()
  let result: DrillReport
  try {
    result = await drill()
  } catch (e) {
    // A drill that throws is a crash: reported like any other failure, and the others still run.
    result = report({ key, title: `Drill "${key}" crashed`, tried: [], triedFigures: {}, happened: [e instanceof Error ? (e.stack ?? e.message) : String(e)], happenedFigures: {}, lost: 0, duplicated: 0, crashed: 1, ms: Date.now() - t, notes: [] })
  }
  reports.push(result)
  printReport(result, print)
}

// The workbooks, generated once into the bench's cache (L takes tens of seconds) and copied by each drill before it writes.
const workbooks: Partial<Record<'S' | 'L', string>> = {}
for (const size of ['S', 'L'] as const) {
  if (size === 'L' && !only.has('writers')) continue
  const t = Date.now()
  const cached = existsSync(join(BENCH_CACHE, `${size}-${asOf}.xlsx`))
  workbooks[size] = await sizedWorkbook(size, asOf, BENCH_CACHE)
  print(`Workbook ${size} (${SIZES[size].label}): ${cached ? 'from the cache' : `generated in ${seconds(Date.now() - t)}`}`)
}
const S = workbooks.S ?? ''
const L = workbooks.L ?? ''

await run('throttle', () => throttleDrill({ workbook: S, updates: 200, panes: 8, throttle: 0.1, drop: 0.02, seed, maxRetries: 5 }))
await run('session', () => sessionDrill({ workbook: S, today: asOf, rounds: 1, seed }))
await run('kill', () => killDrill({ workbook: S, today: asOf, seconds: 30, writers: 4, seed, minGapMs: 2_000, maxGapMs: 4_000 }))
await run('writers', () => writersDrill({ workbook: L, writers: 50, pairs: 5, waves: [{ label: "the client's own 30 s per request" }] }))
await run('race', () => raceDrill({ workbook: S, by: 'adaeze.nwosu@riverbend.example' }))
await run('check', () => malformedDrill({ workbook: S, total: 10_000, files: 200, seed, fileTimeoutMs: 10_000, rowsKept: 40 }))

const totalMs = Date.now() - started
const lost = reports.reduce((n, r) => n + r.lost, 0)
const duplicated = reports.reduce((n, r) => n + r.duplicated, 0)
const crashed = reports.reduce((n, r) => n + r.crashed, 0)
const pass = reports.every((r) => r.pass)
print(`\nAll drills: lost ${lost}, duplicated ${duplicated}, crashed ${crashed}; ${pass ? 'every drill passed' : `failed: ${reports.filter((r) => !r.pass).map((r) => r.key).join(', ')}`}; ${seconds(totalMs)} in all (budget 10 min).`)
if (args.values.json) {
  process.stdout.write(`${JSON.stringify({ seed, asOf, cores: availableParallelism(), node: process.version, totalMs, lost, duplicated, crashed, pass, drills: Object.fromEntries(reports.map((r) => [r.key, r])) }, null, 2)}\n`)
}
process.exitCode = pass ? 0 : 1
