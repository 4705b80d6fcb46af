import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, makeStyles, tokens } from '@fluentui/react-components'
import { Send20Regular } from '@fluentui/react-icons'
import { useMemo, useState } from 'react'
import { ownerDigests } from '../app/digest.ts'
import { previewReminders, reminderFollowUps, type ReminderRecipient, type ReminderVia, type SendReport } from '../app/reminders.ts'
import type { SignIn } from '../auth/sign-in.ts'
import type { IsoDate } from '../domain/dates.ts'
import { ADD_REMINDERS_TABLE, describeOwnerResult, followUpLine } from '../messages/reminders.ts'
import { useSurfaceStyles } from '../ui/surface.ts'
import type { WorkbookSource } from '../workbook/graph/page-source.ts'
import { showDate } from './text.ts'
import { teamsAvailable, useReminderState, useSendReminders } from './use-reminders.ts'

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  h2: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  h3: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalL, alignItems: 'flex-end' },
  email: { minWidth: '18rem' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  failed: { color: tokens.colorPaletteRedForeground1 },
  caption: { textAlign: 'left', paddingBottom: tokens.spacingVerticalXS, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
})

export type RemindersContext = { source: WorkbookSource; signIn: SignIn | null; asOf: IsoDate; today: IsoDate }

const statusText = (r: ReminderRecipient): string =>
  r.status === 'send' ? 'Will be sent' : r.status === 'alreadyReminded' ? `Already reminded for ${showDate(r.on)}` : 'No email address: cannot be sent'

/**
 * "Send reminders" for leaders (issue 15): a preview of who gets what as of the view's date, then
 * sending by email or as a Teams notification, with each owner's result; and, from the Reminders
 * table and the ChangeLog, whether earlier reminders worked.
 */
export function RemindersPanel({ context }: { context: RemindersContext }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  const [opened, setOpened] = useState(false)
  const [via, setVia] = useState<ReminderVia>('mail')
  const [by, setBy] = useState(context.signIn?.account()?.username ?? '')
  const query = useReminderState(context.source, context.asOf, context.today, opened)
  const send = useSendReminders(context.source, context.signIn)
  const state = query.data
  const preview = useMemo(() => (state ? previewReminders(ownerDigests(state.dashboard), state.log, context.asOf) : null), [state, context.asOf])
  const followUps = useMemo(() => (state ? reminderFollowUps(state.plan, state.changes, state.log, context.asOf) : []), [state, context.asOf])
  const toSend = preview?.recipients.filter((r) => r.status === 'send').length ?? 0
  const teams = teamsAvailable(context.source)

  return (
    <section className={`${styles.panel} ${styles.stack}`} aria-labelledby="reminders-heading">
      <h2 id="reminders-heading" className={styles.h2}>
        Update reminders
      </h2>
      <p className={styles.muted}>
        Each owner with overdue or due-soon steps, or a check-in due, gets one digest with links to their steps, at most once a day: what is sent is recorded in the workbook’s Reminders table.
      </p>
      {!opened && (
        <div>
          <Button onClick={() => setOpened(true)}>Preview reminders</Button>
        </div>
      )}
      {opened && query.isPending && <Spinner size="tiny" label="Reading who has something to do…" />}
      {opened && query.isError && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>
            <MessageBarTitle>Could not read the workbook</MessageBarTitle>
            {query.error.message}
          </MessageBarBody>
        </MessageBar>
      )}
      {preview && state && (
        <>
          {preview.table !== 'present' && (
            <MessageBar intent="warning">
              <MessageBarBody>
                <MessageBarTitle>Reminders cannot be sent from this workbook yet</MessageBarTitle>
                {preview.table === 'missing' ? `It has no Reminders table. ${ADD_REMINDERS_TABLE}` : 'Its Reminders table lacks a required column; fix it in Excel.'}
              </MessageBarBody>
            </MessageBar>
          )}
          {preview.recipients.length === 0 ? (
            <p>Nobody has an overdue or due-soon step or a check-in due as of {showDate(context.asOf)}.</p>
          ) : (
            <div className={styles.scroll} tabIndex={0} role="group" aria-labelledby="reminders-preview-caption">
              <table className={styles.table}>
                <caption id="reminders-preview-caption" className={styles.caption}>
                  Who gets what, as of {showDate(context.asOf)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Owner</th>
                    <th scope="col">Overdue</th>
                    <th scope="col">Due soon</th>
                    <th scope="col">Check-ins due</th>
                    <th scope="col">Reminder</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.recipients.map((r) => (
                    <tr key={r.digest.owner.key} data-owner={r.digest.owner.key}>
                      <th scope="row">
                        {r.digest.owner.name}
                        {r.digest.owner.email && <div className={styles.muted}>{r.digest.owner.email}</div>}
                      </th>
                      <td>{r.digest.overdue.map((s) => s.id).join(', ') || '–'}</td>
                      <td>{r.digest.dueSoon.map((s) => s.id).join(', ') || '–'}</td>
                      <td>{r.digest.checkIns.map((c) => c.id).join(', ') || '–'}</td>
                      <td>{statusText(r)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className={styles.row}>
            <Field label="Send as">
              <RadioGroup value={via} onChange={(_, d) => setVia(d.value === 'teams' ? 'teams' : 'mail')} layout="horizontal">
                <Radio value="mail" label="Email" />
                <Radio value="teams" label="Teams notification" disabled={!teams} />
              </RadioGroup>
            </Field>
            <Field label="Your email" hint="Logged in the ChangeLog as who sent them." className={styles.email}>
              <Input type="email" value={by} onChange={(_, d) => setBy(d.value)} />
            </Field>
            <Button
              appearance="primary"
              icon={<Send20Regular aria-hidden="true" />}
              disabled={toSend === 0 || preview.table !== 'present' || send.isPending || by.trim() === ''}
              onClick={() => send.mutate({ state, preview, via, by })}
            >
              {toSend === 0 ? 'Nothing to send' : `Send ${toSend} reminder${toSend === 1 ? '' : 's'}`}
            </Button>
          </div>
          {!teams && (
            <p className={styles.muted}>
              Teams notifications link to the Teams app, which this page does not know: send them with <code>pm-workbook remind --via teams --teams-app-id …</code>.
            </p>
          )}
        </>
      )}
      <div aria-live="polite">
        {send.isPending && <Spinner size="tiny" label="Sending…" />}
        {send.isError && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>Nothing was sent</MessageBarTitle>
              {send.error.message}
            </MessageBarBody>
          </MessageBar>
        )}
        {send.data && <SendResults report={send.data} />}
      </div>
      {followUps.length > 0 && (
        <div className={styles.stack}>
          <h3 className={styles.h3}>Did earlier reminders work?</h3>
          <ul className={styles.list}>
            {followUps.map((f) => (
              <li key={f.date}>{followUpLine(f)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

function SendResults({ report }: { report: SendReport }) {
  const styles = { ...useSurfaceStyles(), ...useStyles() }
  const count = (outcome: string) => report.results.filter((r) => r.outcome === outcome).length
  return (
    <div className={styles.stack}>
      <h3 className={styles.h3}>Sent</h3>
      <p role="status">
        {count('sent')} sent, {count('failed')} failed, {count('alreadyReminded')} already reminded, {count('noAddress')} without an email address.
        {report.recorded.ok ? '' : ' They could not be recorded in the Reminders table, so sending again today would send them again.'}
      </p>
      <div className={styles.scroll} tabIndex={0} role="group" aria-label="Each owner’s result">
        <table className={styles.table}>
          <caption className="visually-hidden">Each owner’s result</caption>
          <thead>
            <tr>
              <th scope="col">Owner</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {report.results.map((r) => (
              <tr key={r.owner.key} data-result={r.outcome}>
                <th scope="row">{r.owner.name}</th>
                <td className={r.outcome === 'failed' ? styles.failed : undefined}>{describeOwnerResult(r, report.via)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
