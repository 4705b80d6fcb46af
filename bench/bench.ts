/**
 * `npm run bench`: timings and Graph round trips against budgets, printed, never asserted in
 * unit tests. Runs on the sample district through the file backend and through the Graph
 * client talking to the local server.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { newChangeId } from '../src/app/change-id.ts'
import { loadPlan } from '../src/app/load-plan.ts'
import { statusReport } from '../src/app/status-report.ts'
import { updateStep } from '../src/app/update-step.ts'
import { noToken } from '../src/auth/tokens.ts'
import { todayIso } from '../src/domain/dates.ts'
import { writeSampleWorkbook } from '../src/sample/write.ts'
import { startServer } from '../src/server/server.ts'
import { openFileStore } from '../src/workbook/file/file-store.ts'
import { openGraphStore } from '../src/workbook/graph/store/graph-store.ts'
import { parseDriveItemUrl } from '../src/workbook/graph/protocol/location.ts'

type Figure = { name: string; value: number; unit: string; budget: number }
const figures: Figure[] = []

async function median(runs: number, work: () => Promise<void>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now()
    await work()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] ?? 0
}

const dir = mkdtempSync(join(tmpdir(), 'pmw-bench-'))
const workbook = join(dir, 'sample.xlsx')
const today = todayIso()
await writeSampleWorkbook(workbook, today)

const fileStore = openFileStore(workbook)
figures.push({
  name: 'status of the sample, file backend (read + decode + rules)',
  value: await median(7, async () => {
    const loaded = await loadPlan(fileStore)
    if (!loaded.ok) throw new Error(loaded.error.message)
    statusReport(loaded.value.plan, loaded.value.problems, today, today)
  }),
  unit: 'ms',
  budget: 500,
})
await fileStore.close()

const server = await startServer({ workbook, port: 0 })
const location = parseDriveItemUrl(server.driveItemUrl)
if (!location.ok) throw new Error(location.error)
let requests = 0
const graphStore = openGraphStore({ location: location.value, tokens: noToken, onRequest: () => (requests += 1) })
figures.push({
  name: 'status of the sample, Graph client → local server',
  value: await median(7, async () => {
    const loaded = await loadPlan(graphStore)
    if (!loaded.ok) throw new Error(loaded.error.message)
  }),
  unit: 'ms',
  budget: 500,
})
requests = 0
const loaded = await loadPlan(graphStore)
figures.push({ name: 'HTTP requests for one dashboard read', value: requests, unit: 'requests', budget: 1 })
if (!loaded.ok) throw new Error(loaded.error.message)
const open = loaded.value.plan.steps.filter((s) => s.id && s.status !== 'Done').slice(0, 5)
requests = 0
const writeTime = await median(open.length, async () => {
  const step = open.shift()
  if (!step?.id) return
  const result = await updateStep(graphStore, { stepId: step.id, percentComplete: 50 }, { by: 'bench@riverbend.example', source: 'bench', changeId: newChangeId(), at: new Date() })
  if (!result.ok) throw new Error(result.error.message)
})
figures.push({ name: 'one step update through the local server (saved to disk)', value: writeTime, unit: 'ms', budget: 750 })
figures.push({ name: 'HTTP requests per step update (incl. its read)', value: requests / 5, unit: 'requests', budget: 4 })
await graphStore.close()
await server.close()
rmSync(dir, { recursive: true, force: true })

let over = 0
for (const f of figures) {
  const ok = f.value <= f.budget
  if (!ok) over += 1
  console.log(`${ok ? 'ok  ' : 'OVER'}  ${f.name}: ${Number.isInteger(f.value) ? f.value : f.value.toFixed(1)} ${f.unit} (budget ${f.budget})`)
}
process.exitCode = over > 0 ? 1 : 0
