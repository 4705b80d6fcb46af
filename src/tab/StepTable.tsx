import { Link, makeStyles, tokens } from '@fluentui/react-components'
import { CalendarClock16Regular, Warning16Filled } from '@fluentui/react-icons'
import type { StepView } from '../app/dashboard.ts'
import { useSurfaceStyles } from '../ui/surface.ts'
import { showDate } from './text.ts'
import { routeHash } from './view-state.ts'

const useStyles = makeStyles({
  flag: { display: 'flex', alignItems: 'center', gap: '4px', fontWeight: tokens.fontWeightSemibold, whiteSpace: 'nowrap' },
  overdue: { color: tokens.colorPaletteRedForeground1 },
  soon: { color: tokens.colorPaletteMarigoldForeground2 },
  id: { color: tokens.colorNeutralForeground3 },
  nowrap: { whiteSpace: 'nowrap' },
})

/** Steps as a table: each with its due date, status and whether it is overdue or due soon (words and icon, not colour alone). */
export function StepTable({ steps, showOwner, showWig, label }: { steps: readonly StepView[]; showOwner: boolean; showWig?: (wigId: string) => string; label: string }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  return (
    // Focusable so a keyboard user can scroll a table wider than a phone (WCAG 2.1.1).
    <div className={styles.scroll} tabIndex={0} role="group" aria-label={label}>
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">Step</th>
            {showOwner && <th scope="col">Owner</th>}
            {showWig && <th scope="col">WIG</th>}
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Done</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={`${s.wigId}:${s.id}`} data-step-id={s.id}>
              <th scope="row" style={{ fontWeight: 'normal' }}>
                {s.title}
                <div className={styles.id}>{s.id}</div>
              </th>
              {showOwner && <td data-column="owner">{s.ownerName}</td>}
              {showWig && (
                <td>
                  <Link href={routeHash({ name: 'wig', wigId: s.wigId })}>{showWig(s.wigId)}</Link>
                </td>
              )}
              <td className={styles.nowrap}>
                {s.dueDate ? <time dateTime={s.dueDate}>{showDate(s.dueDate)}</time> : 'No due date'}
                {s.timing && (
                  <div className={`${styles.flag} ${s.timing === 'Overdue' ? styles.overdue : styles.soon}`}>
                    {s.timing === 'Overdue' ? <Warning16Filled aria-hidden="true" /> : <CalendarClock16Regular aria-hidden="true" />}
                    {s.timing}
                  </div>
                )}
              </td>
              <td>{s.status ?? (s.rawStatus ? `${s.rawStatus} (not a known status)` : 'No status')}</td>
              <td>{s.percentComplete === null ? '–' : `${Math.round(s.percentComplete)}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
