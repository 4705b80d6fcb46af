import { Button, Link, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { useState } from 'react'
import { assignMissingKey, isFixableMissingKey } from '../app/assign-key.ts'
import { newChangeId } from '../app/change-id.ts'
import type { EditableDashboard } from '../app/dashboard.ts'
import { describeError } from '../messages/errors.ts'
import { NotSaved, Saved } from '../ui/SaveOutcome.tsx'
import type { PaneStore } from './use-pane.ts'

const useStyles = makeStyles({
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  cell: { fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'inline-flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', verticalAlign: 'middle' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
})

type Problem = EditableDashboard['dashboard']['problems'][number]
/** A fix in flight keeps its ChangeId, so Retry finds a key that already landed instead of adding another. */
type Fixing = { problem: Problem; changeId: string; state: 'saving' | { saved: string } | { failed: string } }

/**
 * The contract check as a list: each problem with its cell, "Go to cell" inside Excel, and a
 * one-click fix where it is safe (a row typed without its StepId or CheckInId gets one).
 */
export function Health({ data, me, store, source, onSaved, goToCell }: { data: EditableDashboard; me: string; store: PaneStore; source: string; onSaved: () => Promise<void>; goToCell?: (address: string) => void }) {
  const styles = useStyles()
  const [fixing, setFixing] = useState<Fixing | null>(null)
  const problems = data.dashboard.problems

  const fix = async (problem: Problem, changeId: string): Promise<void> => {
    setFixing({ problem, changeId, state: 'saving' })
    const result = await assignMissingKey(store, data.raw, problem, { by: me, source, changeId, at: new Date() }, data.plan)
    if (!result.ok) return setFixing({ problem, changeId, state: { failed: describeError(result.error) } })
    setFixing({ problem, changeId, state: { saved: `Gave row ${result.value.row} of ${result.value.table} the ${result.value.keyColumn} ${result.value.key}.` } })
    await onSaved()
  }

  return (
    <section className={styles.stack} aria-labelledby="health-title">
      <Link href="#/">← All steps</Link>
      <h2 id="health-title" className={styles.title}>
        Workbook health
      </h2>
      {fixing && typeof fixing.state === 'object' && 'saved' in fixing.state && <Saved>{fixing.state.saved}</Saved>}
      {fixing && typeof fixing.state === 'object' && 'failed' in fixing.state && (
        <NotSaved message={fixing.state.failed} kept="Nothing else was changed." onRetry={() => void fix(fixing.problem, fixing.changeId)} />
      )}
      {data.raw.missing.length > 0 && (
        <p>
          The workbook has no {data.raw.missing.join(', ')} table{data.raw.missing.length === 1 ? '' : 's'}. <Link href="#/setup">Set up the missing tables</Link>
        </p>
      )}
      {problems.length === 0 ? (
        <p>The workbook meets the contract: every table, column and cell the product reads is in order.</p>
      ) : (
        <>
          <p>
            {problems.length} problem{problems.length === 1 ? '' : 's'}. Rows with a problem are still shown; fix the cell in the sheet and refresh.
          </p>
          <ul className={styles.list}>
            {problems.map((p, i) => (
              <li key={i}>
                <span className={styles.cell}>{p.cell ?? `${p.table}${p.row === null ? '' : ` row ${p.row}`}`}</span>: {p.message}{' '}
                <span className={styles.actions}>
                  {goToCell && p.cell && (
                    <Button size="small" appearance="subtle" onClick={() => goToCell(p.cell ?? '')}>
                      Go to cell
                    </Button>
                  )}
                  {isFixableMissingKey(p) && (
                    <Button size="small" disabled={fixing?.state === 'saving'} onClick={() => void fix(p, newChangeId())}>
                      Give it a {p.table === 'CheckIns' ? 'CheckInId' : 'StepId'}
                    </Button>
                  )}
                  {fixing?.problem === p && fixing.state === 'saving' && <Spinner size="tiny" label="Saving…" />}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
