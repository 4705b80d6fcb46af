import { Link, Skeleton, SkeletonItem, makeStyles, tokens } from '@fluentui/react-components'
import { ArrowLeft16Regular } from '@fluentui/react-icons'
import { lazy, Suspense } from 'react'
import type { Dashboard, StepView, WigView } from '../app/dashboard.ts'
import { StatusBadge } from '../ui/StatusBadge.tsx'
import { useSurfaceStyles } from '../ui/surface.ts'
import { ManualNote } from './ManualNote.tsx'
import { StepTable } from './StepTable.tsx'
import { chartDescription, goalText, latestText, notedReadings, progressText, showDate } from './text.ts'
import { routeHash } from './view-state.ts'

// The chart is the heaviest part of the detail view and the overview never shows it.
const TrajectoryChart = lazy(() => import('../ui/TrajectoryChart.tsx'))

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase600, lineHeight: tokens.lineHeightBase600, fontWeight: tokens.fontWeightSemibold },
  meta: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', color: tokens.colorNeutralForeground2 },
  h3: { margin: `0 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  h4: { margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  columns: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(420px, 100%), 1fr))', gap: tokens.spacingHorizontalL },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  problem: { color: tokens.colorPaletteRedForeground1 },
})

export function WigDetail({ dashboard, wigId }: { dashboard: Dashboard; wigId: string }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  const wig = dashboard.wigs.find((w) => w.id === wigId)
  if (!wig) {
    return (
      <div className={styles.page}>
        <BackLink />
        <h2 className={styles.title}>No WIG {wigId}</h2>
        <p>The workbook has no WIG with the id {wigId} (it may have been renamed or deleted). Go back to the overview to pick one.</p>
      </div>
    )
  }
  const steps = dashboard.steps.filter((s) => s.wigId === wig.id)
  const measures = dashboard.measures.filter((m) => m.wigId === wig.id)
  const progress = progressText(wig)
  const latest = latestText(wig)
  const noted = notedReadings(wig)
  return (
    <article className={styles.page} aria-labelledby="wig-title">
      <BackLink />
      <header className={styles.head}>
        <h2 id="wig-title" className={styles.title}>
          {wig.title}
        </h2>
        <div className={styles.meta}>
          <span>{wig.id}</span>
          <StatusBadge status={wig.status} prefix={wig.manual ? 'Manual:' : undefined} />
          {wig.stale && wig.latest && <span>Stale: last check-in {showDate(wig.latest.date)}</span>}
          <span>Owner: {wig.ownerName || wig.owner || 'No owner'}</span>
          {wig.department && <span>Department: {wig.department}</span>}
        </div>
        <p className={styles.muted}>{goalText(wig)}</p>
        <ManualNote wig={wig} />
        {(latest || progress) && <p className={styles.muted}>{[latest ? `Latest ${latest}` : '', progress ?? ''].filter(Boolean).join(' · ')}</p>}
      </header>

      {wig.kind === 'Numeric' && (
        <section className={styles.panel} aria-labelledby="trajectory">
          <h3 id="trajectory" className={styles.h3}>
            Trajectory
          </h3>
          {wig.readings.length === 0 && wig.line === null ? (
            <p className={styles.muted}>No check-ins yet, and no baseline and target to draw the expected line from.</p>
          ) : (
            <Suspense fallback={<Skeleton aria-label="Loading the chart"><SkeletonItem style={{ height: 200 }} /></Skeleton>}>
              <TrajectoryChart points={wig.readings} line={wig.line} asOf={dashboard.asOf} format={(v) => textOf(wig, v)} description={chartDescription(wig)} />
            </Suspense>
          )}
          {noted.length > 0 && (
            <>
              <h4 className={styles.h4}>What the latest check-ins say</h4>
              <ul className={styles.list} aria-label="Notes with the latest check-ins">
                {noted.map((r, i) => (
                  <li key={`${r.date}-${i}`}>
                    <time dateTime={r.date} className={styles.muted}>
                      {showDate(r.date)}
                    </time>
                    <span className={styles.muted}>, {r.text}: </span>
                    {r.note}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      <section className={styles.panel} aria-labelledby="steps-heading">
        <h3 id="steps-heading" className={styles.h3}>
          Action steps by owner
        </h3>
        {steps.length === 0 ? <p className={styles.muted}>No action steps for this WIG yet.</p> : <StepsByOwner steps={steps} />}
      </section>

      <div className={styles.columns}>
        <section className={styles.panel} aria-labelledby="measures-heading">
          <h3 id="measures-heading" className={styles.h3}>
            Lead and lag measures
          </h3>
          {measures.length === 0 ? (
            <p className={styles.muted}>No measures for this WIG.</p>
          ) : (
            <div className={styles.scroll} tabIndex={0} role="group" aria-label="Measures">
              <table className={styles.table}>
                <thead>
                  <tr>
                    <th scope="col">Measure</th>
                    <th scope="col">Type</th>
                    <th scope="col">Latest</th>
                    <th scope="col">Target</th>
                    <th scope="col">History</th>
                  </tr>
                </thead>
                <tbody>
                  {measures.map((m) => {
                    const last = m.history.at(-1)
                    return (
                      <tr key={m.id}>
                        <th scope="row">
                          {m.name}
                          <div className={styles.muted}>{[m.id, m.ownerName, m.cadence].filter(Boolean).join(' · ')}</div>
                        </th>
                        <td>{m.type ?? '–'}</td>
                        <td>{last ? `${last.text} on ${showDate(last.date)}` : 'No check-ins'}</td>
                        <td>{[m.targetText, m.dueDate ? `by ${showDate(m.dueDate)}` : ''].filter(Boolean).join(' ') || '–'}</td>
                        <td>{m.history.length === 0 ? '–' : m.history.slice(-6).map((h) => `${h.text} (${showDate(h.date)})`).join(', ')}</td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className={styles.panel} aria-labelledby="strategy-heading">
          <h3 id="strategy-heading" className={styles.h3}>
            Strategy
          </h3>
          {wig.strategy ? (
            <>
              <p className={styles.muted}>
                {wig.strategy.pillar} · {wig.strategy.id}: {wig.strategy.strategy}
              </p>
              <h4 className={styles.h4}>Key levers</h4>
              <BulletList text={wig.strategy.keyLevers} empty="None listed." />
              <h4 className={styles.h4}>Collaborating departments</h4>
              <BulletList text={wig.strategy.collaboratingDepartments} empty="None listed." />
            </>
          ) : (
            <p className={styles.muted}>This WIG names no strategy the Strategies table holds.</p>
          )}
        </section>
      </div>

      <div className={styles.columns}>
        <section className={styles.panel} aria-labelledby="activity-heading">
          <h3 id="activity-heading" className={styles.h3}>
            Recent activity
          </h3>
          {wig.activity.length === 0 ? (
            <p className={styles.muted}>No changes made through pm-workbook are logged for this WIG yet.</p>
          ) : (
            <ul className={styles.list}>
              {wig.activity.map((c) => (
                <li key={`${c.position}`}>
                  {c.date ? showDate(c.date) : c.at} · {c.by || 'someone'} set {c.column} of {c.key} {c.oldValue === '' ? '' : `from “${c.oldValue}” `}to “{c.newValue}”{c.source ? ` (${c.source})` : ''}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className={styles.panel} aria-labelledby="problems-heading">
          <h3 id="problems-heading" className={styles.h3}>
            Problems in the workbook
          </h3>
          {wig.problems.length === 0 ? (
            <p className={styles.muted}>None found in this WIG's rows.</p>
          ) : (
            <ul className={styles.list}>
              {wig.problems.map((p, i) => (
                <li key={i}>
                  <strong>{p.cell ?? `${p.table}${p.row === null ? '' : ` row ${p.row}`}`}</strong>: {p.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </article>
  )
}

function textOf(wig: WigView, value: number): string {
  const point = [...wig.readings, ...(wig.line ? [wig.line.start, wig.line.end] : [])].find((p) => p.value === value)
  return point?.text ?? String(value)
}

function BackLink() {
  return (
    <Link href={routeHash({ name: 'overview' })}>
      <ArrowLeft16Regular aria-hidden="true" /> All WIGs
    </Link>
  )
}

function BulletList({ text, empty }: { text: string; empty: string }) {
  const items = text
    .split(/\r?\n|;|•/)
    .map((t) => t.replace(/^[\s\-*]+/, '').trim())
    .filter(Boolean)
  if (items.length === 0) return <p style={{ margin: 0 }}>{empty}</p>
  return (
    <ul style={{ margin: 0, paddingLeft: 20 }}>
      {items.map((item, i) => (
        <li key={i}>{item}</li>
      ))}
    </ul>
  )
}

function StepsByOwner({ steps }: { steps: StepView[] }) {
  const byOwner = new Map<string, StepView[]>()
  for (const s of steps) byOwner.set(s.ownerKey, [...(byOwner.get(s.ownerKey) ?? []), s])
  const owners = [...byOwner.values()].sort((a, b) => overdueOf(b) - overdueOf(a) || (a[0]?.ownerName ?? '').localeCompare(b[0]?.ownerName ?? ''))
  return (
    <>
      {owners.map((list) => (
        <section key={list[0]?.ownerKey} aria-label={`Steps owned by ${list[0]?.ownerName}`}>
          <h4 style={{ margin: '12px 0 4px' }}>
            {list[0]?.ownerName} · {list.length} step{list.length === 1 ? '' : 's'}
            {overdueOf(list) > 0 ? `, ${overdueOf(list)} overdue` : ''}
          </h4>
          <StepTable steps={list} showOwner={false} label={`${list[0]?.ownerName ?? ''}'s steps`} />
        </section>
      ))}
    </>
  )
}

const overdueOf = (steps: readonly StepView[]): number => steps.filter((s) => s.timing === 'Overdue').length
