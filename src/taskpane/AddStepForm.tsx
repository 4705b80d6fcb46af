import { Button, Field, Input, Link, Select, Spinner, Textarea, makeStyles, tokens } from '@fluentui/react-components'
import { useState } from 'react'
import { addStep, type NewStep } from '../app/add-step.ts'
import { newChangeId } from '../app/change-id.ts'
import type { EditableDashboard } from '../app/dashboard.ts'
import { parseIsoDate } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { NotSaved, Saved } from '../ui/SaveOutcome.tsx'
import type { PaneStore } from './use-pane.ts'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
})

type Phase = { kind: 'editing' } | { kind: 'saving' } | { kind: 'saved'; stepId: string } | { kind: 'failed'; input: NewStep; changeId: string; message: string }

export function AddStepForm({ data, me, store, source, onSaved }: { data: EditableDashboard; me: string; store: PaneStore; source: string; onSaved: () => Promise<void> }) {
  const styles = useStyles()
  const wigs = data.plan.wigs
  const [wigId, setWigId] = useState<string>(wigs[0]?.id ?? '')
  const [title, setTitle] = useState('')
  const [owner, setOwner] = useState(me)
  const [due, setDue] = useState('')
  const [notes, setNotes] = useState('')
  const [errors, setErrors] = useState<{ title?: string; due?: string }>({})
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })

  const save = async (input: NewStep, changeId: string): Promise<void> => {
    setPhase({ kind: 'saving' })
    const result = await addStep(store, data.plan, input, { by: me, source, changeId, at: new Date() })
    if (!result.ok) return setPhase({ kind: 'failed', input, changeId, message: describeError(result.error) })
    setTitle('')
    setNotes('')
    setDue('')
    setPhase({ kind: 'saved', stepId: result.value.stepId })
    await onSaved()
  }

  const submit = (): void => {
    const found: { title?: string; due?: string } = {}
    if (title.trim() === '') found.title = 'Give the step a title.'
    const day = parseIsoDate(due)
    if (day === null) found.due = `Give the due date as YYYY-MM-DD, a real day${due.trim() ? `; ${due.trim()} is not one` : ''}.`
    setErrors(found)
    if (found.title || day === null) return
    const input: NewStep = { wigId, title: title.trim(), owner, dueDate: day }
    if (notes.trim()) input.notes = notes.trim()
    void save(input, newChangeId())
  }

  return (
    <form
      className={styles.form}
      noValidate
      aria-labelledby="add-title"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <Link href="#/">← All steps</Link>
      <h2 id="add-title" className={styles.title}>
        Add an action step
      </h2>
      <Field label="WIG">
        <Select value={wigId} onChange={(_, d) => setWigId(d.value)}>
          {wigs.map((w) => (
            <option key={w.id} value={w.id}>
              {w.id}: {w.title}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Title" validationMessage={errors.title}>
        <Input value={title} onChange={(_, d) => setTitle(d.value)} />
      </Field>
      <Field label="Owner">
        <Select value={owner} onChange={(_, d) => setOwner(d.value)}>
          {data.plan.people.map((p) => (
            <option key={p.email} value={p.email.trim().toLowerCase()}>
              {p.name || p.email}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Due date" hint="YYYY-MM-DD" validationMessage={errors.due}>
        <Input value={due} onChange={(_, d) => setDue(d.value)} />
      </Field>
      <Field label="Notes">
        <Textarea value={notes} onChange={(_, d) => setNotes(d.value)} resize="vertical" />
      </Field>
      <div className={styles.buttons}>
        <Button type="submit" appearance="primary" disabled={phase.kind === 'saving'}>
          Add step
        </Button>
        {phase.kind === 'saving' && <Spinner size="tiny" label="Saving to the workbook…" />}
      </div>
      {phase.kind === 'saved' && (
        <Saved>
            Added {phase.stepId}. <Link href={`#/step/${encodeURIComponent(phase.stepId)}`}>Open it</Link>
        </Saved>
      )}
      {phase.kind === 'failed' && <NotSaved message={phase.message} kept="Your step is kept." onRetry={() => void save(phase.input, phase.changeId)} />}
    </form>
  )
}
