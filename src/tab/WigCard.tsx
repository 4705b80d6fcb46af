import { Link, makeStyles, tokens } from '@fluentui/react-components'
import { History16Regular, Person16Regular } from '@fluentui/react-icons'
import { useId } from 'react'
import type { WigView } from '../app/dashboard.ts'
import { Sparkline } from '../ui/Sparkline.tsx'
import { StatusBadge } from '../ui/StatusBadge.tsx'
import { ManualNote } from './ManualNote.tsx'
import { goalText, latestText, progressText, showDate, stepCountsText, trendLabel } from './text.ts'
import { routeHash } from './view-state.ts'

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow2,
    minWidth: 0,
    height: '100%',
    boxSizing: 'border-box',
  },
  top: { display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  id: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, lineHeight: tokens.lineHeightBase400, fontWeight: tokens.fontWeightSemibold },
  goal: { margin: 0, color: tokens.colorNeutralForeground2 },
  row: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  facts: { margin: 0, display: 'grid', gap: '2px', fontSize: tokens.fontSizeBase200 },
  stale: { display: 'inline-flex', alignItems: 'center', gap: '4px', color: tokens.colorPaletteMarigoldForeground2, fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase200 },
  footer: { marginTop: 'auto', display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2 },
  owner: { display: 'inline-flex', alignItems: 'center', gap: '4px' },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
})

/** One WIG at a glance; an `article` named by its title so a screen reader (and a test) finds it by name. */
export function WigCard({ wig, headingLevel }: { wig: WigView; headingLevel: 3 | 4 }) {
  const styles = useStyles()
  const titleId = useId()
  const Heading = headingLevel === 3 ? 'h3' : 'h4'
  const progress = progressText(wig)
  const latest = latestText(wig)
  return (
    <article className={styles.card} aria-labelledby={titleId} data-wig-id={wig.id}>
      <div className={styles.top}>
        <span className={styles.id}>{wig.id}</span>
        <StatusBadge status={wig.status} prefix={wig.manual ? 'Manual:' : undefined} />
      </div>
      <Heading className={styles.title}>
        <Link id={titleId} href={routeHash({ name: 'wig', wigId: wig.id })}>
          {wig.title}
        </Link>
      </Heading>
      <p className={styles.goal}>{goalText(wig)}</p>
      <ManualNote wig={wig} small />
      <div className={styles.row}>
        <dl className={styles.facts}>
          <div>
            <dt className="visually-hidden">Latest</dt>
            <dd style={{ margin: 0 }}>{latest ? `Latest ${latest}` : wig.kind === 'Milestone' ? `${wig.steps.done} of ${wig.steps.done + wig.openSteps} steps done` : 'No check-ins yet'}</dd>
          </div>
          {progress && (
            <div>
              <dt className="visually-hidden">Progress</dt>
              <dd style={{ margin: 0 }}>{progress}</dd>
            </div>
          )}
        </dl>
        {wig.kind === 'Numeric' && wig.readings.length > 0 && <Sparkline points={wig.readings} line={wig.line} label={trendLabel(wig)} />}
      </div>
      {wig.stale && wig.latest && (
        <span className={styles.stale}>
          <History16Regular aria-hidden="true" /> Stale: last check-in {showDate(wig.latest.date)}
        </span>
      )}
      <div className={styles.footer}>
        <span className={styles.owner}>
          <Person16Regular aria-hidden="true" />
          <span className="visually-hidden">Owner: </span>
          {wig.ownerName || wig.owner || 'No owner'}
        </span>
        <span className={wig.steps.overdue > 0 ? styles.overdue : undefined}>Steps: {stepCountsText(wig)}</span>
      </div>
    </article>
  )
}
