import { Button, Link, makeStyles, tokens } from '@fluentui/react-components'
import { useMemo, useState } from 'react'
import type { Dashboard, OwnerView, StepView } from '../app/dashboard.ts'
import type { Share } from '../app/utilization.ts'
import { formatShare } from '../domain/units.ts'
import { useSurfaceStyles } from '../ui/surface.ts'
import { RemindersPanel, type RemindersContext } from './Reminders.tsx'
import { StepTable } from './StepTable.tsx'
import { routeHash } from './view-state.ts'

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  muted: { color: tokens.colorNeutralForeground2, margin: `${tokens.spacingVerticalXS} 0` },
  counts: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, margin: `${tokens.spacingVerticalS} 0`, padding: 0, listStyle: 'none' },
  count: { fontWeight: tokens.fontWeightBold },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightBold },
  figures: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXL, margin: `${tokens.spacingVerticalS} 0` },
  figure: { fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold, display: 'block' },
})

const shareText = (s: Share): string => (s.share === null ? '–' : `${formatShare(s.share)} (${s.count} of ${s.total})`)

/** Who owes what, the owners who need help first (most overdue). */
export function People({ dashboard, reminders }: { dashboard: Dashboard; reminders?: RemindersContext }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  const titleOf = useMemo(() => {
    const titles = new Map(dashboard.wigs.map((w) => [w.id, w.title]))
    return (id: string): string => titles.get(id) ?? id
  }, [dashboard.wigs])
  const stepsOf = useMemo(() => {
    const map = new Map<string, StepView[]>()
    for (const s of dashboard.steps) if (s.open) map.set(s.ownerKey, [...(map.get(s.ownerKey) ?? []), s])
    return map
  }, [dashboard.steps])
  const u = dashboard.utilization
  return (
    <div className={styles.page}>
      <section className={styles.panel} aria-labelledby="utilization-heading">
        <h2 id="utilization-heading" className={styles.h2}>
          Tool utilization
        </h2>
        <p className={styles.muted}>Updated in the workbook within the last {u.windowDays} days (from UpdatedAt and the ChangeLog), as of the view's date.</p>
        <div className={styles.figures}>
          <div>
            <span className={styles.figure}>{u.overall.owners.share === null ? '–' : formatShare(u.overall.owners.share)}</span>
            of step owners ({u.overall.owners.count} of {u.overall.owners.total})
          </div>
          <div>
            <span className={styles.figure}>{u.overall.openSteps.share === null ? '–' : formatShare(u.overall.openSteps.share)}</span>
            of open steps ({u.overall.openSteps.count} of {u.overall.openSteps.total})
          </div>
        </div>
        {u.byDepartment.length > 0 && (
          <div className={styles.scroll} tabIndex={0} role="group" aria-label="Utilization by department">
            <table className={styles.table}>
              <caption className="visually-hidden">Utilization by department</caption>
              <thead>
                <tr>
                  <th scope="col">Department</th>
                  <th scope="col">Step owners who updated</th>
                  <th scope="col">Open steps updated</th>
                </tr>
              </thead>
              <tbody>
                {u.byDepartment.map((d) => (
                  <tr key={d.department}>
                    <th scope="row">{d.department}</th>
                    <td>{shareText(d.owners)}</td>
                    <td>{shareText(d.openSteps)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {reminders && <RemindersPanel context={reminders} />}
      <h2 className={styles.h2}>People, most overdue first</h2>
      {dashboard.owners.length === 0 && <p>No action steps have owners yet.</p>}
      {dashboard.owners.map((o) => (
        <OwnerCard key={o.key || '(none)'} owner={o} steps={stepsOf.get(o.key) ?? []} titleOf={titleOf} />
      ))}
    </div>
  )
}

function OwnerCard({ owner, steps, titleOf }: { owner: OwnerView; steps: StepView[]; titleOf: (id: string) => string }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  const [showAll, setShowAll] = useState(false)
  const urgent = steps.filter((s) => s.timing !== null).sort((a, b) => Number(b.timing === 'Overdue') - Number(a.timing === 'Overdue') || (a.dueDate ?? '').localeCompare(b.dueDate ?? ''))
  const others = steps.filter((s) => s.timing === null)
  const headingId = `owner-${owner.key || 'none'}`.replace(/[^A-Za-z0-9_-]/g, '-')
  return (
    <article className={styles.panel} aria-labelledby={headingId} data-owner={owner.key}>
      <h3 id={headingId} className={styles.h3}>
        {owner.name}
      </h3>
      <p className={styles.muted}>{[owner.email, owner.department].filter(Boolean).join(' · ')}</p>
      <ul className={styles.counts} aria-label={`${owner.name}'s steps`}>
        <li>
          <span className={styles.count} data-count="open">{owner.open}</span> open
        </li>
        <li>
          <span className={owner.overdue > 0 ? styles.overdue : styles.count} data-count="overdue">{owner.overdue}</span> overdue
        </li>
        <li>
          <span className={styles.count} data-count="due-soon">{owner.dueSoon}</span> due soon
        </li>
        <li>
          <span className={styles.count}>{owner.done}</span> done
        </li>
      </ul>
      {owner.wigs.length > 0 && (
        <p className={styles.muted}>
          Owns:{' '}
          {owner.wigs.map((w, i) => (
            <span key={w.id}>
              {i > 0 && ', '}
              <Link href={routeHash({ name: 'wig', wigId: w.id })}>{w.title}</Link>
            </span>
          ))}
        </p>
      )}
      {urgent.length > 0 && <StepTable steps={urgent} showOwner={false} showWig={titleOf} label={`${owner.name}'s overdue and due-soon steps`} />}
      {others.length > 0 &&
        (showAll ? (
          <StepTable steps={others} showOwner={false} showWig={titleOf} label={`${owner.name}'s other open steps`} />
        ) : (
          <Button appearance="subtle" onClick={() => setShowAll(true)}>
            Show {others.length} other open step{others.length === 1 ? '' : 's'}
          </Button>
        ))}
    </article>
  )
}
