import { Button, Field, Input, Link, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { useEffect, useState } from 'react'
import { newChangeId } from '../app/change-id.ts'
import { PLAN_TABLES } from '../app/load-plan.ts'
import { missingTables, readForSetUp, setUpWorkbook, type SetUpContent } from '../app/set-up.ts'
import { todayIso } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { NotSaved, Saved } from '../ui/SaveOutcome.tsx'
import type { PaneStore } from './use-pane.ts'

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  buttons: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
})

type Raw = Extract<Awaited<ReturnType<typeof readForSetUp>>, { ok: true }>['value']
type Missing = { kind: 'reading' } | { kind: 'read'; raw: Raw; missing: string[] } | { kind: 'failed'; message: string }
type Phase = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved'; text: string } | { kind: 'failed'; message: string; withSample: boolean; changeId: string }

/**
 * Set up: a workbook without the contract's tables gets them, each on a sheet of its own; sheets
 * already there are never renamed, cleared or written. With the sample district only when the
 * workbook has none of the plan's tables, so sample rows never point at a district's own.
 */
export function SetUp({ store, me, source, onDone }: { store: PaneStore; me: string; source: string; onDone: () => Promise<void> }) {
  const styles = useStyles()
  const [state, setState] = useState<Missing>({ kind: 'reading' })
  const [email, setEmail] = useState(me)
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })

  const read = async (): Promise<void> => {
    setState({ kind: 'reading' })
    const raw = await readForSetUp(store)
    setState(raw.ok ? { kind: 'read', raw: raw.value, missing: missingTables(raw.value) } : { kind: 'failed', message: describeError(raw.error) })
  }
  useEffect(() => {
    void read()
    // One read when the page opens; Refresh reads again.
  }, [])

  const create = async (withSample: boolean, changeId: string): Promise<void> => {
    if (state.kind !== 'read') return
    setPhase({ kind: 'saving' })
    // The sample district loads only when asked for: the pane does not carry it otherwise.
    const content: SetUpContent = withSample ? { withSample: true, sample: (await import('../sample/district.ts')).sampleDistrict(todayIso()).tables } : { withSample: false }
    const done = await setUpWorkbook(store, state.raw, content, { by: email.trim(), source, changeId, at: new Date() })
    if (!done.ok) return setPhase({ kind: 'failed', message: describeError(done.error), withSample, changeId })
    setPhase({
      kind: 'saved',
      text: done.value.kind === 'nothingToDo' ? 'The workbook already had every table.' : `Created ${done.value.tables.map((t) => `${t.table} on ${t.address}`).join(', ')}.`,
    })
    await read()
    await onDone()
  }

  const allMissing = state.kind === 'read' && PLAN_TABLES.every((t) => state.missing.includes(t))
  return (
    <section className={styles.stack} aria-labelledby="setup-title">
      <Link href="#/">← All steps</Link>
      <h2 id="setup-title" className={styles.title}>
        Set up the workbook
      </h2>
      {state.kind === 'reading' && <Spinner size="tiny" label="Reading the workbook's tables…" />}
      {state.kind === 'failed' && <p role="alert">Could not read the workbook: {state.message}</p>}
      {state.kind === 'read' && state.missing.length === 0 && <p>This workbook has every table the plan needs.</p>}
      {state.kind === 'read' && state.missing.length > 0 && (
        <>
          <p>
            The workbook has no {state.missing.join(', ')} table{state.missing.length === 1 ? '' : 's'}. Each can be created on a sheet of its own; the sheets already in the
            workbook are left as they are.
          </p>
          <Field label="Your email" hint="Logged in the ChangeLog as who set the workbook up.">
            <Input value={email} onChange={(_, d) => setEmail(d.value)} />
          </Field>
          <div className={styles.buttons}>
            <Button appearance="primary" disabled={phase.kind === 'saving'} onClick={() => void create(false, newChangeId())}>
              Create them empty
            </Button>
            {allMissing && (
              <Button disabled={phase.kind === 'saving'} onClick={() => void create(true, newChangeId())}>
                Create them with the sample district
              </Button>
            )}
            {phase.kind === 'saving' && <Spinner size="tiny" label="Creating the tables…" />}
          </div>
        </>
      )}
      {phase.kind === 'saved' && <Saved>{phase.text}</Saved>}
      {phase.kind === 'failed' && <NotSaved message={phase.message} kept="Nothing was created." onRetry={() => void create(phase.withSample, phase.changeId)} />}
    </section>
  )
}
