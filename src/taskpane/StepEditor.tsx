import { Button, Field, Input, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Spinner, Textarea, makeStyles, tokens } from '@fluentui/react-components'
import { useState } from 'react'
import type { EditableDashboard, StepView } from '../app/dashboard.ts'
import { newChangeId } from '../app/change-id.ts'
import { readSeen, seenFormat, seenIn } from '../app/seen.ts'
import { displayCell, updateStep, type ChangeMade, type StepEdit } from '../app/update-step.ts'
import { STEP_STATUSES } from '../domain/model.ts'
import { describeError } from '../messages/errors.ts'
import { checkStepForm, formFromStep, type StepForm, type StepFormErrors } from './step-form.ts'
import { NotSaved, Saved } from '../ui/SaveOutcome.tsx'
import type { PaneStore } from './use-pane.ts'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  meta: { margin: 0, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  conflict: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL },
})

/** Where a save stands. A conflict keeps both versions; a failure keeps the edit and its ChangeId, so Retry cannot apply it twice. */
type Phase =
  | { kind: 'editing' }
  | { kind: 'saving' }
  | { kind: 'saved'; changes: ChangeMade[] }
  | { kind: 'conflict'; edit: StepEdit; cells: { column: string; mine: string; theirs: string }[] }
  | { kind: 'failed'; edit: StepEdit; changeId: string; message: string }

export function StepEditor({ step, data, me, store, source, onSaved, onDiscard, showInSheet }: { step: StepView; data: EditableDashboard; me: string; store: PaneStore; source: string; onSaved: () => Promise<void>; onDiscard: () => void; showInSheet?: () => void }) {
  const styles = useStyles()
  const people = data.plan.people
  const ownerEmail = people.find((p) => p.email.trim().toLowerCase() === step.ownerKey)?.email.trim().toLowerCase() ?? ''
  const [shown, setShown] = useState<StepForm>(() => formFromStep(step, ownerEmail))
  const [form, setForm] = useState<StepForm>(shown)
  const [errors, setErrors] = useState<StepFormErrors>({})
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })
  const wig = data.dashboard.wigs.find((w) => w.id === step.wigId)
  const set = (field: keyof StepForm) => (value: string) => {
    setForm({ ...form, [field]: value })
    if (phase.kind === 'saved') setPhase({ kind: 'editing' })
  }

  const save = async (edit: StepEdit, changeId: string, fresh: boolean): Promise<void> => {
    setPhase({ kind: 'saving' })
    const seen = fresh ? await readSeen(store, 'ActionSteps', step.id) : seenIn(data.raw, 'ActionSteps', step.id)
    if (!seen.ok) return setPhase({ kind: 'failed', edit, changeId, message: describeError(seen.error) })
    const result = await updateStep(store, edit, seen.value, { by: me, source, changeId, at: new Date() }, { people })
    if (result.ok) {
      // What is on the workbook now is what the next edit starts from; the note went in once.
      const saved = { ...form, note: '', reason: '' }
      setShown(saved)
      setForm(saved)
      setPhase({ kind: 'saved', changes: result.value.changes })
      await onSaved()
      return
    }
    if (result.error.kind === 'conflict') {
      const format = (c: { column: string }) => seenFormat(seen.value, c.column)
      setPhase({
        kind: 'conflict',
        edit,
        cells: result.error.conflicts.map((c) => ({ column: c.column, mine: displayCell(c.value, format(c)), theirs: displayCell(c.now, format(c)) })),
      })
      return
    }
    setPhase({ kind: 'failed', edit, changeId, message: describeError(result.error) })
  }

  const submit = (): void => {
    const checked = checkStepForm(form, shown, step.id)
    setErrors(checked.errors)
    if (checked.edit) void save(checked.edit, newChangeId(), false)
  }

  const busy = phase.kind === 'saving'
  return (
    <form
      className={styles.form}
      noValidate
      aria-labelledby="step-title"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <Link href="#/">← All steps</Link>
      <h2 id="step-title" className={styles.title}>
        {step.title}
      </h2>
      <p className={styles.meta}>
        {step.id} · {step.wigId}: {wig?.title ?? ''} · owner {step.ownerName}
        {step.timing ? ` · ${step.timing}` : ''}
      </p>
      {showInSheet && (
        <div>
          <Button size="small" onClick={showInSheet}>
            Show in sheet
          </Button>
        </div>
      )}
      <Field label="Status" validationMessage={errors.status}>
        <Select value={form.status} onChange={(_, d) => set('status')(d.value)}>
          {form.status === '' && <option value="">{step.rawStatus ? `${step.rawStatus} (not a known status)` : 'No status'}</option>}
          {STEP_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </Select>
      </Field>
      <Field label="Percent complete" hint="0 to 100" validationMessage={errors.percent}>
        <Input inputMode="decimal" value={form.percent} onChange={(_, d) => set('percent')(d.value)} />
      </Field>
      <Field label="Due date" hint="YYYY-MM-DD" validationMessage={errors.dueDate}>
        <Input value={form.dueDate} onChange={(_, d) => set('dueDate')(d.value)} />
      </Field>
      {form.dueDate.trim() > shown.dueDate && shown.dueDate !== '' && (
        <Field label="Why the due date moves later" required validationMessage={errors.reason}>
          <Input value={form.reason} onChange={(_, d) => set('reason')(d.value)} />
        </Field>
      )}
      <Field label="Owner" validationMessage={errors.owner}>
        <Select value={form.owner} onChange={(_, d) => set('owner')(d.value)}>
          {form.owner === '' && <option value="">{step.ownerName} (not in People)</option>}
          {people.map((p) => (
            <option key={p.email} value={p.email.trim().toLowerCase()}>
              {p.name || p.email}
              {p.department ? ` · ${p.department}` : ''}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Notes" hint="Added under the step's notes with your name and the date.">
        <Textarea value={form.note} onChange={(_, d) => set('note')(d.value)} resize="vertical" />
      </Field>
      {errors.form && (
        <MessageBar intent="info">
          <MessageBarBody>{errors.form}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.buttons}>
        <Button type="submit" appearance="primary" disabled={busy}>
          Save
        </Button>
        {busy && <Spinner size="tiny" label="Saving to the workbook…" />}
      </div>
      {phase.kind === 'saved' && (
        <Saved>
            {phase.changes.length === 0 ? 'It already held these values.' : phase.changes.map((c) => `${c.column}: ${c.from || '(blank)'} → ${c.to}`).join('; ')}
        </Saved>
      )}
      {phase.kind === 'conflict' && (
        <MessageBar intent="warning" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Someone changed this step while you were editing</MessageBarTitle>
            Nothing of yours was written. Choose which to keep:
            <ul className={styles.conflict}>
              {phase.cells.map((c) => (
                <li key={c.column}>
                  {c.column}: yours “{c.mine}”, theirs “{c.theirs || '(blank)'}”
                </li>
              ))}
            </ul>
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void save(phase.edit, newChangeId(), true)}>Keep mine</Button>
            <Button
              onClick={onDiscard}
            >
              Use theirs
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {phase.kind === 'failed' && <NotSaved message={phase.message} kept="Your edit is kept here." onRetry={() => void save(phase.edit, phase.changeId, false)} />}
    </form>
  )
}
