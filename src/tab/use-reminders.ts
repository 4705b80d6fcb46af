import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { newChangeId } from '../app/change-id.ts'
import type { MessageContext } from '../app/digest-message.ts'
import { loadReminderState, sendReminders, type ReminderPreview, type ReminderState, type ReminderVia, type SendReport } from '../app/reminders.ts'
import { reminderScopes } from '../auth/scopes.ts'
import { isLoopbackUrl, type SignIn } from '../auth/sign-in.ts'
import type { TokenProvider } from '../auth/tokens.ts'
import type { IsoDate } from '../domain/dates.ts'
import { describeAuthProblem } from '../auth/problems.ts'
import { describeSendRefusal } from '../messages/reminders.ts'
import { systemClock } from '../workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../workbook/graph/chain/transport.ts'
import { openPageStore, type WorkbookSource } from '../workbook/graph/page-source.ts'
import { createReminderSender } from '../workbook/graph/reminder-sender.ts'
import { ReadFailure } from './use-dashboard.ts'

/**
 * The reminders panel's data (issue 15): what a run would send, read when a leader asks for the
 * preview (the dashboard's tables and Reminders, in one round trip), and the send itself, through
 * the same Graph transport as every read (src/workbook/graph/reminder-sender.ts). Against Microsoft
 * 365 the send first makes sure the token carries Mail.Send or TeamsActivity.Send, asking the
 * person once if it does not (src/auth/scopes.ts); the local server needs no token.
 */

export function useReminderState(source: WorkbookSource, asOf: IsoDate, today: IsoDate, enabled: boolean) {
  return useQuery<ReminderState, Error>({
    queryKey: ['reminders', source.location.baseUrl, source.location.itemPath, asOf, today],
    enabled,
    retry: false,
    staleTime: 0,
    refetchOnWindowFocus: false,
    queryFn: async () => {
      const store = openPageStore(source)
      try {
        const loaded = await loadReminderState(store, asOf, today, new Date().toISOString())
        if (!loaded.ok) throw new ReadFailure(loaded.error)
        return loaded.value
      } finally {
        await store.close()
      }
    },
  })
}

export type SendInput = { state: ReminderState; preview: ReminderPreview; via: ReminderVia; by: string }

/** Teams notifications need the Teams app's id for their link, which the local server does without. */
export const teamsAvailable = (source: WorkbookSource): boolean => isLoopbackUrl(source.location.baseUrl)

/** The workbook as people know it: the file name in its link, else "plan". */
function workbookLabel(source: WorkbookSource): string {
  const last = source.webUrl?.split(/[?#]/)[0]?.split('/').at(-1) ?? ''
  try {
    const name = decodeURIComponent(last)
    return /\.xlsx$/i.test(name) ? name : 'plan'
  } catch {
    return 'plan'
  }
}

/** A token carrying the reminder scope, asking the person for it (from the Send click) when the silent request fails. */
async function senderTokens(source: WorkbookSource, signIn: SignIn | null, via: ReminderVia): Promise<TokenProvider> {
  if (signIn === null || signIn.mode === 'none') return source.tokens
  const extra = reminderScopes(via)
  const tokens = signIn.tokensWith(extra)
  try {
    await tokens.getToken()
    return tokens
  } catch {
    const granted = await signIn.grant(extra)
    if (granted.status === 'problem') {
      const said = describeAuthProblem(granted.problem)
      throw new Error(`${said.title}. ${said.whatToDo}`)
    }
    if (granted.status === 'redirecting') throw new Error('Signing in again to allow sending; send once more when the page is back.')
    return tokens
  }
}

export function useSendReminders(source: WorkbookSource, signIn: SignIn | null) {
  const client = useQueryClient()
  return useMutation<SendReport, Error, SendInput>({
    mutationFn: async ({ state, preview, via, by }) => {
      const tokens = await senderTokens(source, signIn, via)
      const changeId = newChangeId()
      const { dashboard, plan } = state
      const context: MessageContext = { workbook: workbookLabel(source), district: dashboard.district, asOf: dashboard.asOf, dueSoonDays: plan.settings.dueSoonDays, appUrl: new URL('.', window.location.href).href }
      const sender = createReminderSender({
        transport: createGraphTransport({ baseUrl: source.location.baseUrl, tokens, clock: systemClock }),
        via,
        runId: changeId,
        topic: dashboard.district ? `${dashboard.district} plan` : 'Strategic plan',
      })
      const store = openPageStore(source)
      try {
        const sent = await sendReminders(store, preview, sender, { via, context, meta: { by: by.trim(), source: 'tab', changeId, at: new Date() }, people: plan.people })
        if (!sent.ok) throw new Error(describeSendRefusal(sent.error))
        return sent.value
      } finally {
        await store.close()
      }
    },
    // The preview reads again: those sent are now reminded for the day. The dashboard is unchanged.
    onSettled: () => client.invalidateQueries({ queryKey: ['reminders'] }),
  })
}
