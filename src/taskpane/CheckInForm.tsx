import { Button, Field, Input, Link, Select, Spinner, Textarea, makeStyles, tokens } from '@fluentui/react-components'
import { useState } from 'react'
import { newChangeId } from '../app/change-id.ts'
import type { EditableDashboard } from '../app/dashboard.ts'
import { logCheckIn, type CheckInEntry } from '../app/log-checkin.ts'
import { parseIsoDate, todayIso } from '../domain/dates.ts'
import { checkInUnits, formatValue, parseMeasureValue } from '../domain/units.ts'
import { describeError, describeValueError } from '../messages/errors.ts'
import { NotSaved, Saved } from '../ui/SaveOutcome.tsx'
import type { PaneStore } from './use-pane.ts'

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  buttons: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
})

type Target = { value: string; label: string; wigId: string; measureId: string | null }

/** What a person may log: the numeric WIGs and the measures they own (everything, when they own none). */
export function checkInTargets(data: EditableDashboard, me: string): Target[] {
  const mine = (owner: { email: string | null; text: string } | null): boolean => (owner?.email ?? owner?.text ?? '').trim().toLowerCase() === me
  const wigs = data.plan.wigs.filter((w) => w.kind === 'Numeric')
  const targets = (all: boolean): Target[] => [
    ...wigs.filter((w) => all || mine(w.owner)).map((w) => ({ value: w.id, label: `${w.id}: ${w.title}`, wigId: w.id, measureId: null })),
    ...data.plan.measures.filter((m) => all || mine(m.owner)).map((m) => ({ value: `${m.wigId}/${m.id}`, label: `${m.id} (${m.type ?? 'measure'} of ${m.wigId}): ${m.name}`, wigId: m.wigId, measureId: m.id })),
  ]
  const own = targets(false)
  return own.length > 0 ? own : targets(true)
}

type Phase = { kind: 'editing' } | { kind: 'saving' } | { kind: 'saved'; text: string; wigId: string; reread: boolean } | { kind: 'failed'; entry: CheckInEntry; changeId: string; message: string }

export function CheckInForm({ data, me, store, source, onSaved }: { data: EditableDashboard; me: string; store: PaneStore; source: string; onSaved: () => Promise<void> }) {
  const styles = useStyles()
  const targets = checkInTargets(data, me)
  const [target, setTarget] = useState(targets[0]?.value ?? '')
  const [value, setValue] = useState('')
  const [date, setDate] = useState<string>(todayIso())
  const [note, setNote] = useState('')
  const [errors, setErrors] = useState<{ value?: string; date?: string }>({})
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' })
  const chosen = targets.find((t) => t.value === target)
  const units = chosen ? checkInUnits(data.plan, chosen.wigId, chosen.measureId) : null
  const unitHint = units ? (units.scale === 'percentFraction' || /%|percent/i.test(units.unit) ? 'A percent, like 61.5%' : units.unit ? `In ${units.unit}` : 'A number') : ''

  const save = async (entry: CheckInEntry, changeId: string): Promise<void> => {
    setPhase({ kind: 'saving' })
    const result = await logCheckIn(store, data.plan, entry, { by: me, source, changeId, at: new Date() }, todayIso())
    if (!result.ok) return setPhase({ kind: 'failed', entry, changeId, message: describeError(result.error) })
    setValue('')
    setNote('')
    const saved = { kind: 'saved', text: `${units ? formatValue(entry.value, units) : entry.value} for ${chosen?.label ?? entry.wigId} on ${entry.date}`, wigId: entry.wigId } as const
    setPhase({ ...saved, reread: false })
    // The WIG's new status is only known once the workbook has been read again; until then it would show the old one.
    await onSaved()
    setPhase({ ...saved, reread: true })
  }

  const submit = (): void => {
    if (!chosen || !units) return
    const found: { value?: string; date?: string } = {}
    const parsed = parseMeasureValue(value, units)
    if (!parsed.ok) found.value = describeValueError(parsed.error, chosen.label)
    const day = parseIsoDate(date)
    if (day === null) found.date = `Give the date as YYYY-MM-DD, a real day${date.trim() ? `; ${date.trim()} is not one` : ''}.`
    else if (day > todayIso()) found.date = `A check-in records what was measured: ${day} is after today.`
    setErrors(found)
    if (!parsed.ok || day === null || found.date) return
    const entry: CheckInEntry = { wigId: chosen.wigId, value: parsed.value, date: day }
    if (chosen.measureId) entry.measureId = chosen.measureId
    if (note.trim()) entry.note = note.trim()
    void save(entry, newChangeId())
  }

  const savedWig = phase.kind === 'saved' && phase.reread ? data.dashboard.wigs.find((w) => w.id === phase.wigId) : undefined
  return (
    <form
      className={styles.form}
      noValidate
      aria-labelledby="checkin-title"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <Link href="#/">← All steps</Link>
      <h2 id="checkin-title" className={styles.title}>
        Log a check-in
      </h2>
      {targets.length === 0 ? (
        <p>The workbook has no numeric WIG or measure to log a value for.</p>
      ) : (
        <>
          <Field label="Check-in for">
            <Select value={target} onChange={(_, d) => setTarget(d.value)}>
              {targets.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Value" hint={unitHint} validationMessage={errors.value}>
            <Input value={value} onChange={(_, d) => setValue(d.value)} />
          </Field>
          <Field label="Date" hint="YYYY-MM-DD, when it was measured" validationMessage={errors.date}>
            <Input value={date} onChange={(_, d) => setDate(d.value)} />
          </Field>
          <Field label="Notes">
            <Textarea value={note} onChange={(_, d) => setNote(d.value)} resize="vertical" />
          </Field>
          <div className={styles.buttons}>
            <Button type="submit" appearance="primary" disabled={phase.kind === 'saving'}>
              Log check-in
            </Button>
            {phase.kind === 'saving' && <Spinner size="tiny" label="Saving to the workbook…" />}
          </div>
        </>
      )}
      {phase.kind === 'saved' && (
        <Saved>
            Logged {phase.text}.{savedWig ? ` ${savedWig.id} is now ${savedWig.status}.` : ''}
        </Saved>
      )}
      {phase.kind === 'failed' && <NotSaved message={phase.message} kept="Your entry is kept." onRetry={() => void save(phase.entry, phase.changeId)} />}
    </form>
  )
}
