import { Button, Field, FluentProvider, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Select, Skeleton, SkeletonItem, makeStyles, tokens } from '@fluentui/react-components'
import { ArrowClockwise16Regular } from '@fluentui/react-icons'
import { useEffect, useState } from 'react'
import type { EditableDashboard } from '../app/dashboard.ts'
import type { Person } from '../domain/model.ts'
import { fluentTheme, type ThemeName } from '../ui/theme.ts'
import { usePageTheme } from '../ui/use-page-theme.ts'
import { StartProblem } from '../pages/StartProblem.tsx'
import type { Started } from '../pages/start.ts'
import type { WorkbookSource } from '../workbook/graph/page-source.ts'
import { AddStepForm } from './AddStepForm.tsx'
import { CheckInForm } from './CheckInForm.tsx'
import { Health } from './Health.tsx'
import { pickIdentity, REMEMBERED } from './identity.ts'
import { SetUp } from './SetUp.tsx'
import { StepEditor } from './StepEditor.tsx'
import { StepList, type StepScope } from './StepList.tsx'
import { useReload, usePane, usePaneStore, type PaneStore } from './use-pane.ts'

/** What the pane can do inside Excel (Office.js); absent in a plain browser. */
export type ExcelActions = { showStep: (stepId: string) => Promise<string | null>; goToCell: (address: string) => Promise<string | null> }

/** Every write names where it came from in the ChangeLog's Source column. */
const SOURCE = 'taskpane'

const useStyles = makeStyles({
  app: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2, color: tokens.colorNeutralForeground1 },
  header: { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalM} 0`, backgroundColor: tokens.colorNeutralBackground1, borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  h1: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  who: { margin: `2px 0 ${tokens.spacingVerticalS}`, fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
  nav: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', listStyle: 'none', margin: 0, padding: 0 },
  navLink: {
    display: 'inline-block',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalS}`,
    color: tokens.colorNeutralForeground2,
    textDecoration: 'none',
    borderBottom: '3px solid transparent',
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  current: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottom: `3px solid ${tokens.colorCompoundBrandStroke}` },
  main: { padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
})

type Route = { name: 'steps' } | { name: 'step'; stepId: string } | { name: 'checkin' } | { name: 'add' } | { name: 'health' } | { name: 'setup' }

// Office.js replaces history.pushState, so the pane routes with the hash alone.
function parseRoute(hash: string): Route {
  const [head, ...rest] = hash.replace(/^#\/?/, '').split('/')
  const id = rest.join('/')
  if (head === 'step' && id) {
    try {
      return { name: 'step', stepId: decodeURIComponent(id) }
    } catch {
      return { name: 'step', stepId: id }
    }
  }
  if (head === 'checkin' || head === 'add' || head === 'health' || head === 'setup') return { name: head }
  return { name: 'steps' }
}

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const sync = (): void => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', sync)
    return () => window.removeEventListener('hashchange', sync)
  }, [])
  return route
}

export function App({ started, requestedTheme, excel }: { started: Started; requestedTheme: ThemeName | null; excel: ExcelActions | null }) {
  const styles = useStyles()
  const theme = usePageTheme(requestedTheme)
  return (
    <FluentProvider theme={fluentTheme(theme)} className={styles.app}>
      {started.kind !== 'ready' ? (
        <main className={styles.main}>
          <StartProblem started={started} />
        </main>
      ) : (
        <Pane source={started.source} signedInAs={started.signIn.account()?.username ?? null} excel={excel} />
      )}
    </FluentProvider>
  )
}

function Pane({ source, signedInAs, excel }: { source: WorkbookSource; signedInAs: string | null; excel: ExcelActions | null }) {
  const styles = useStyles()
  const store = usePaneStore(source)
  const query = usePane(store)
  const reload = useReload()
  const route = useRoute()
  const [me, setMe] = useState<Person | null>(null)
  const [chosen, setChosen] = useState(false)
  const [scope, setScope] = useState<StepScope>({ kind: 'mine' })
  const [editorVersion, setEditorVersion] = useState(0)
  const [excelMessage, setExcelMessage] = useState<string | null>(null)
  const data = query.data

  useEffect(() => {
    if (!data || chosen) return
    // Signed in to Microsoft 365, the pane works for that person; locally, for the one chosen.
    const asked = signedInAs ?? new URLSearchParams(window.location.search).get('as')
    setMe(pickIdentity(data.plan.people, asked, signedInAs ? null : window.localStorage.getItem(REMEMBERED)))
    setChosen(true)
  }, [data, chosen, signedInAs])

  const choose = (email: string): void => {
    const person = data?.plan.people.find((p) => p.email === email) ?? null
    if (person) window.localStorage.setItem(REMEMBERED, person.email)
    setMe(person)
  }
  const inExcel = (act: () => Promise<string | null>) => () => void act().then(setExcelMessage)

  return (
    <>
      <header className={styles.header}>
        <h1 className={styles.h1}>{data?.dashboard.district || 'Action steps'}</h1>
        <div className={styles.who}>
          {me ? (
            <>
              <span>
                Working as {me.name || me.email}
                {me.department ? ` · ${me.department}` : ''}
              </span>
              <Button size="small" appearance="transparent" onClick={() => setMe(null)}>
                Change
              </Button>
            </>
          ) : (
            <span>{data ? 'Tell the pane who you are to see your steps.' : query.isError ? 'The workbook could not be read.' : 'Reading the workbook…'}</span>
          )}
          <Button size="small" appearance="transparent" icon={<ArrowClockwise16Regular aria-hidden="true" />} onClick={() => void query.refetch()} disabled={query.isFetching}>
            Refresh
          </Button>
        </div>
        {me && (
          <nav aria-label="Task pane">
            <ul className={styles.nav}>
              {(
                [
                  ['steps', '#/', 'Steps'],
                  ['checkin', '#/checkin', 'Check-in'],
                  ['add', '#/add', 'Add step'],
                  ['health', '#/health', 'Health'],
                ] as const
              ).map(([name, href, label]) => {
                const current = route.name === name || (name === 'steps' && route.name === 'step')
                return (
                  <li key={name}>
                    <a className={`${styles.navLink} ${current ? styles.current : ''}`} href={href} aria-current={current ? 'page' : undefined}>
                      {label}
                    </a>
                  </li>
                )
              })}
            </ul>
          </nav>
        )}
      </header>
      <main className={styles.main} aria-busy={query.isPending}>
        {query.isError && (
          <MessageBar intent="error" role="alert" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Could not read the workbook</MessageBarTitle>
              {query.error.message}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => void query.refetch()}>Try again</Button>
              <Button as="a" href="#/setup">
                Set up the workbook
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {excelMessage && (
          <MessageBar intent="warning">
            <MessageBarBody>{excelMessage}</MessageBarBody>
          </MessageBar>
        )}
        {route.name === 'setup' ? (
          <SetUp store={store} me={me?.email ?? ''} source={SOURCE} onDone={reload} />
        ) : !data ? (
          query.isPending && (
            <Skeleton aria-label="Loading your steps">
              <SkeletonItem style={{ height: 64 }} />
              <SkeletonItem style={{ height: 64, marginTop: 8 }} />
            </Skeleton>
          )
        ) : !me ? (
          <WhoAreYou people={data.plan.people} onChoose={choose} />
        ) : (
          <Page
            route={route}
            data={data}
            me={me.email.trim().toLowerCase()}
            store={store}
            scope={scope}
            onScope={setScope}
            reload={reload}
            editorKey={editorVersion}
            onDiscard={() => {
              setEditorVersion((v) => v + 1)
              void reload()
            }}
            excel={excel}
            inExcel={inExcel}
          />
        )}
      </main>
    </>
  )
}

function Page(props: {
  route: Route
  data: EditableDashboard
  me: string
  store: PaneStore
  scope: StepScope
  onScope: (s: StepScope) => void
  reload: () => Promise<void>
  editorKey: number
  onDiscard: () => void
  excel: ExcelActions | null
  inExcel: (act: () => Promise<string | null>) => () => void
}) {
  const { route, data, me, store, reload, excel, inExcel } = props
  switch (route.name) {
    case 'step': {
      const step = data.dashboard.steps.find((s) => s.id === route.stepId)
      if (!step)
        return (
          <p>
            No action step {route.stepId} in the workbook (it may have been renamed or deleted). <Link href="#/">Back to the steps</Link>
          </p>
        )
      return (
        <StepEditor
          key={`${step.id}:${props.editorKey}`}
          step={step}
          data={data}
          me={me}
          store={store}
          source={SOURCE}
          onSaved={reload}
          onDiscard={props.onDiscard}
          {...(excel ? { showInSheet: inExcel(() => excel.showStep(step.id)) } : {})}
        />
      )
    }
    case 'checkin':
      return <CheckInForm data={data} me={me} store={store} source={SOURCE} onSaved={reload} />
    case 'add':
      return <AddStepForm data={data} me={me} store={store} source={SOURCE} onSaved={reload} />
    case 'setup':
      return null
    case 'health':
      return <Health data={data} me={me} store={store} source={SOURCE} onSaved={reload} {...(excel ? { goToCell: (address: string) => inExcel(() => excel.goToCell(address))() } : {})} />
    case 'steps':
      return <StepList dashboard={data.dashboard} scope={props.scope} me={me} onScope={props.onScope} />
  }
}

function WhoAreYou({ people, onChoose }: { people: readonly Person[]; onChoose: (email: string) => void }) {
  const [email, setEmail] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (email) onChoose(email)
      }}
      style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
    >
      <Field label="Who are you?" hint="Pick yourself from the workbook's People. The pane remembers it in this browser.">
        <Select value={email} onChange={(_, d) => setEmail(d.value)}>
          <option value="">Choose…</option>
          {[...people]
            .sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email))
            .map((p) => (
              <option key={p.email} value={p.email}>
                {p.name || p.email}
                {p.department ? ` · ${p.department}` : ''}
              </option>
            ))}
        </Select>
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={email === ''}>
          Continue
        </Button>
      </div>
    </form>
  )
}
