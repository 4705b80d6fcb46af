import { describe, expect, it } from 'vitest'
import { noToken } from '../../src/auth/tokens.ts'
import { startServer } from '../../src/server/server.ts'
import { findColumn } from '../../src/workbook/contract.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/protocol/location.ts'
import { openGraphStore } from '../../src/workbook/graph/store/graph-store.ts'
import type { CellValue } from '../../src/workbook/raw.ts'
import type { WorkbookStore } from '../../src/workbook/store.ts'
import { asTypedText } from '../../src/workbook/typed-text.ts'
import { createContractWorkbook, FIXTURE } from '../fixtures/contract-workbook.ts'
import { describeError } from '../../src/messages/errors.ts'

/**
 * GRAPH.md §6: a workbook range has no ETag or If-Match, so a read and a later write are never
 * atomic. Two people change one step at the same moment, each through their own Graph client
 * (sessionless, as two CLI commands), through the local server. Whichever order the requests
 * meet in, no change may vanish unreported, and the ChangeLog must tell the truth.
 */
const ROUNDS = 100
const STEP = FIXTURE.stepNotStarted

describe('two writers racing on one step through the local server', () => {
  it(`ends each of ${ROUNDS} rounds in one write and one conflict, never a silent overwrite, with a truthful ChangeLog`, async () => {
    const fixture = await createContractWorkbook()
    const server = await startServer({ workbook: fixture.path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const open = (): WorkbookStore => openGraphStore({ location: location.value, tokens: noToken })
    const [ana, ben] = [open(), open()]
    try {
      const outcomes: string[] = []
      for (let round = 0; round < ROUNDS; round += 1) {
        const write = async (store: WorkbookStore, who: string) => {
          const row = await store.readRow('ActionSteps', STEP)
          if (!row.ok) throw new Error(describeError(row.error))
          const seen = row.value.values[findColumn(row.value.headers, 'Notes')] ?? ''
          const value = `${who} ${round}`
          const result = await store.updateRow({
            table: 'ActionSteps',
            key: STEP,
            changes: [{ column: 'Notes', seen, value: asTypedText(value) }],
            audit: { changeId: `${who}-${round}`, at: '2026-11-24T09:00:00Z', by: `${who}@district.org`, source: 'race' },
          })
          if (result.ok) return { who, value, kind: result.value.applied ? 'written' : 'unchanged' }
          return { who, value, kind: result.error.kind }
        }
        const results = await Promise.all([write(ana, 'ana'), write(ben, 'ben')])
        const written = results.filter((r) => r.kind === 'written')
        // Both saw the same Notes and changed them: exactly one may land; the other hears "conflict".
        expect(written, `round ${round}`).toHaveLength(1)
        expect(results.filter((r) => r.kind === 'conflict'), `round ${round}`).toHaveLength(1)
        const now = await ana.readRow('ActionSteps', STEP)
        expect(now.ok && now.value.values[findColumn(now.value.headers, 'Notes')], `round ${round}`).toBe(written[0]?.value)
        outcomes.push(results.map((r) => `${r.who}:${r.kind}`).join(' '))
      }
      expect(outcomes).toHaveLength(ROUNDS)

      // Replaying the ChangeLog for the cell: each OldValue is the NewValue before it, and the last is the cell.
      const read = await ana.read(['ChangeLog', 'ActionSteps'])
      if (!read.ok) throw new Error(describeError(read.error))
      const log = read.value.tables.ChangeLog
      if (!log) throw new Error('no ChangeLog')
      const at = (name: string) => findColumn(log.headers, name)
      const trail = log.rows.filter((r) => r[at('Key')] === STEP && r[at('Column')] === 'Notes')
      expect(trail.length).toBeGreaterThanOrEqual(ROUNDS)
      let previous: CellValue | undefined
      for (const [i, entry] of trail.entries()) {
        if (previous !== undefined) expect(entry[at('OldValue')], `ChangeLog entry ${i}`).toBe(previous)
        previous = entry[at('NewValue')]
      }
      const steps = read.value.tables.ActionSteps
      const stepRow = steps?.rows.find((r) => r[findColumn(steps.headers, 'StepId')] === STEP)
      expect(previous).toBe(stepRow?.[findColumn(steps?.headers ?? [], 'Notes')])
    } finally {
      await ana.close()
      await ben.close()
      await server.close()
      await fixture.remove()
    }
    // A hundred rounds of real HTTP and saves: generous room on a loaded two-core machine.
  }, 180_000)
})
