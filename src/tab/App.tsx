import {
  Button,
  Field,
  FluentProvider,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import { ArrowClockwise20Regular, Open20Regular } from '@fluentui/react-icons'
import { useEffect } from 'react'
import { parseIsoDate, todayIso } from '../domain/dates.ts'
import { fluentTheme, type ThemeName } from '../ui/theme.ts'
import { usePageTheme } from '../ui/use-page-theme.ts'
import { Configure } from './Configure.tsx'
import type { Host } from './host.ts'
import { Overview } from './Overview.tsx'
import { People } from './People.tsx'
import { StartProblem } from '../pages/StartProblem.tsx'
import type { Started } from '../pages/start.ts'
import type { SignIn } from '../auth/sign-in.ts'
import type { WorkbookSource } from '../workbook/graph/page-source.ts'
import { showDate, showTime } from './text.ts'
import { useDashboard, useWorkbookLink } from './use-dashboard.ts'
import { useViewState } from './use-view-state.ts'
import { routeHash, type Route } from './view-state.ts'
import { WigDetail } from './WigDetail.tsx'

// Plain links, not a tab list: each view is a page with its own address (and Back works).
const NAV: { label: string; route: Route }[] = [
  { label: 'Overview', route: { name: 'overview' } },
  { label: 'People', route: { name: 'people' } },
  { label: 'Set up', route: { name: 'configure' } },
]

const useStyles = makeStyles({
  app: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL} 0`,
    backgroundColor: tokens.colorNeutralBackground1,
    '@media (max-width: 480px)': { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} 0` },
  },
  h1: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
  sub: { margin: `${tokens.spacingVerticalXXS} 0 0`, color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  tools: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalS },
  nav: {
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    '@media (max-width: 480px)': { padding: 0 },
  },
  navList: { display: 'flex', gap: tokens.spacingHorizontalS, listStyle: 'none', margin: 0, padding: 0 },
  navLink: {
    display: 'inline-block',
    padding: `${tokens.spacingVerticalMNudge} ${tokens.spacingHorizontalM}`,
    color: tokens.colorNeutralForeground2,
    textDecoration: 'none',
    borderBottom: `3px solid transparent`,
    fontSize: tokens.fontSizeBase300,
    ':hover': { color: tokens.colorNeutralForeground1, borderBottom: `3px solid ${tokens.colorNeutralStroke1}` },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px', borderRadius: tokens.borderRadiusMedium },
  },
  navCurrent: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottom: `3px solid ${tokens.colorCompoundBrandStroke}`, ':hover': { borderBottom: `3px solid ${tokens.colorCompoundBrandStroke}` } },
  main: {
    padding: tokens.spacingHorizontalXL,
    maxWidth: '1600px',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    '@media (max-width: 480px)': { padding: tokens.spacingHorizontalM },
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 10, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
  skeletons: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(300px, 100%), 1fr))', gap: '12px' },
})

export function App({ host, started, requestedTheme }: { host: Host; started: Started; requestedTheme: ThemeName | null }) {
  const styles = useStyles()
  const theme = usePageTheme(requestedTheme, host.kind === 'teams' ? host : null)
  return (
    <FluentProvider theme={fluentTheme(theme)} className={styles.app}>
      <a className={styles.skip} href="#main">
        Skip to content
      </a>
      {started.kind !== 'ready' ? (
        <main id="main" className={styles.main}>
          <h1 className={styles.h1}>Strategic plan</h1>
          <StartProblem started={started} />
        </main>
      ) : (
        <Dashboard host={host} source={started.source} signIn={started.signIn} />
      )}
    </FluentProvider>
  )
}

function Dashboard({ host, source, signIn }: { host: Host; source: WorkbookSource; signIn: SignIn | null }) {
  const styles = useStyles()
  const { view, setFilters, setGroup, setAsOf } = useViewState()
  const today = todayIso()
  const asOf = view.asOf ?? today
  const query = useDashboard(source, asOf, today)
  const workbookLink = useWorkbookLink(source)
  const data = query.data
  const route = host.kind === 'teams' && host.configuring ? ({ name: 'configure' } as const) : view.route
  useEffect(() => {
    document.title = data ? `${data.district || 'Strategic plan'}: ${route.name === 'people' ? 'people' : route.name === 'wig' ? route.wigId : 'WIGs'}` : 'Strategic plan'
  }, [data, route])
  return (
    <>
      <header className={styles.header}>
        <div>
          <h1 className={styles.h1}>{data?.district || 'Strategic plan'}</h1>
          <p className={styles.sub} aria-live="polite">
            {data
              ? [data.planYear ? `Plan year ${data.planYear}` : '', `As of ${showDate(data.asOf)}${data.asOf === today ? ' (today)' : ''}`, `read at ${showTime(data.readAt)}`].filter(Boolean).join(' · ')
              : query.isError
                ? 'The workbook could not be read'
                : 'Reading the workbook…'}
          </p>
        </div>
        <div className={styles.tools}>
          <Field label="As of" size="small">
            <Input
              type="date"
              size="small"
              value={asOf}
              max="9999-12-31"
              onChange={(_, d) => {
                const date = parseIsoDate(d.value)
                if (date) setAsOf(date === today ? null : date)
              }}
            />
          </Field>
          {view.asOf && (
            <Button size="small" onClick={() => setAsOf(null)}>
              Today
            </Button>
          )}
          <Button size="small" icon={<ArrowClockwise20Regular aria-hidden="true" />} onClick={() => void query.refetch()} disabled={query.isFetching}>
            {query.isFetching && data ? 'Refreshing…' : 'Refresh'}
          </Button>
          {workbookLink && (
            <Button size="small" as="a" href={workbookLink} target="_blank" rel="noreferrer" icon={<Open20Regular aria-hidden="true" />}>
              Open in Excel
            </Button>
          )}
        </div>
      </header>
      <nav className={styles.nav} aria-label="Views">
        <ul className={styles.navList}>
          {NAV.map((item) => {
            const current = item.route.name === route.name || (item.route.name === 'overview' && route.name === 'wig')
            return (
              <li key={item.label}>
                <a className={`${styles.navLink} ${current ? styles.navCurrent : ''}`} href={routeHash(item.route)} aria-current={current ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            )
          })}
        </ul>
      </nav>
      <main id="main" className={styles.main} aria-busy={query.isPending}>
        {query.isError && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>Could not read the workbook</MessageBarTitle>
              {query.error.message}
              {data ? ` Showing what was read at ${showTime(data.readAt)}.` : ''}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => void query.refetch()} disabled={query.isFetching}>
                {query.isFetching ? 'Trying…' : 'Try again'}
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {route.name === 'configure' ? (
          <Configure source={source} host={host} />
        ) : data ? (
          route.name === 'wig' ? (
            <WigDetail dashboard={data} wigId={route.wigId} />
          ) : route.name === 'people' ? (
            <People dashboard={data} reminders={{ source, signIn, asOf, today }} />
          ) : (
            <Overview dashboard={data} filters={view.filters} group={view.group} onFilters={setFilters} onGroup={setGroup} />
          )
        ) : query.isPending ? (
          <Skeleton aria-label="Loading the plan" className={styles.skeletons}>
            {Array.from({ length: 6 }, (_, i) => (
              <SkeletonItem key={i} shape="rectangle" style={{ height: 180 }} />
            ))}
          </Skeleton>
        ) : null}
      </main>
    </>
  )
}
