import { Field, Select, makeStyles, tokens } from '@fluentui/react-components'
import { CalendarClock16Regular, Warning16Filled } from '@fluentui/react-icons'
import type { Dashboard, StepView } from '../app/dashboard.ts'

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: {
    display: 'block',
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    textDecoration: 'none',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  title: { display: 'block', fontWeight: tokens.fontWeightSemibold, marginBottom: '2px' },
  meta: { display: 'flex', flexWrap: 'wrap', gap: `2px ${tokens.spacingHorizontalM}`, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  flag: { display: 'inline-flex', alignItems: 'center', gap: '4px', fontWeight: tokens.fontWeightSemibold },
  overdue: { color: tokens.colorPaletteRedForeground1 },
  soon: { color: tokens.colorPaletteMarigoldForeground2 },
  empty: { color: tokens.colorNeutralForeground2 },
})

export type StepScope = { kind: 'mine' } | { kind: 'everyone' } | { kind: 'wig'; wigId: string }

/** Overdue first, then due soon, then the rest; by due date within each, undated last. */
export function orderSteps(steps: readonly StepView[]): StepView[] {
  const rank = (s: StepView): number => (s.timing === 'Overdue' ? 0 : s.timing === 'Due soon' ? 1 : s.open ? 2 : 3)
  return [...steps].sort((a, b) => rank(a) - rank(b) || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.title.localeCompare(b.title))
}

export function stepsInScope(dashboard: Dashboard, scope: StepScope, me: string): StepView[] {
  switch (scope.kind) {
    case 'mine':
      return orderSteps(dashboard.steps.filter((s) => s.ownerKey === me.toLowerCase() && s.open))
    case 'everyone':
      return orderSteps(dashboard.steps.filter((s) => s.open))
    case 'wig':
      return orderSteps(dashboard.steps.filter((s) => s.wigId === scope.wigId))
  }
}

const scopeValue = (scope: StepScope): string => (scope.kind === 'wig' ? `wig:${scope.wigId}` : scope.kind)

export function StepList({ dashboard, scope, me, onScope }: { dashboard: Dashboard; scope: StepScope; me: string; onScope: (s: StepScope) => void }) {
  const styles = useStyles()
  const steps = stepsInScope(dashboard, scope, me)
  const wigTitle = new Map(dashboard.wigs.map((w) => [w.id, w.title]))
  return (
    <>
      <Field label="Show">
        <Select
          value={scopeValue(scope)}
          onChange={(_, d) => onScope(d.value === 'mine' || d.value === 'everyone' ? { kind: d.value } : { kind: 'wig', wigId: d.value.slice(4) })}
        >
          <option value="mine">My open steps</option>
          <option value="everyone">Everyone's open steps</option>
          {dashboard.wigs.map((w) => (
            <option key={w.id} value={`wig:${w.id}`}>
              {w.id}: {w.title}
            </option>
          ))}
        </Select>
      </Field>
      <p className={styles.empty} role="status">
        {steps.length === 0 ? (scope.kind === 'mine' ? 'You have no open action steps. Pick a WIG above to see its steps.' : 'No action steps here.') : `${steps.length} step${steps.length === 1 ? '' : 's'}`}
      </p>
      <ul className={styles.list} aria-label="Action steps">
        {steps.map((s) => (
          <li key={`${s.wigId}:${s.id}`}>
            <a className={styles.item} href={`#/step/${encodeURIComponent(s.id)}`} data-step-id={s.id}>
              <span className={styles.title}>{s.title}</span>
              <span className={styles.meta}>
                <span>
                  {s.wigId}: {wigTitle.get(s.wigId) ?? ''}
                </span>
              </span>
              <span className={styles.meta}>
                <span>Due {s.dueDate ?? 'not set'}</span>
                {s.timing && (
                  <span className={`${styles.flag} ${s.timing === 'Overdue' ? styles.overdue : styles.soon}`}>
                    {s.timing === 'Overdue' ? <Warning16Filled aria-hidden="true" /> : <CalendarClock16Regular aria-hidden="true" />}
                    {s.timing}
                  </span>
                )}
                <span>{s.status ?? s.rawStatus ?? 'No status'}</span>
                <span>{s.percentComplete === null ? '' : `${Math.round(s.percentComplete)}% complete`}</span>
                {scope.kind !== 'mine' && <span>{s.ownerName}</span>}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </>
  )
}
