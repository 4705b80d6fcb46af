import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo } from 'react'
import { loadEditableDashboard, type EditableDashboard } from '../app/dashboard.ts'
import { todayIso } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { openPageStore, type WorkbookSource } from '../workbook/graph/page-source.ts'

export type PaneStore = ReturnType<typeof openPageStore>

/** A failed read or write, worded once; the pane shows it in place with a retry. */
export class PaneFailure extends Error {
  constructor(readonly error: Parameters<typeof describeError>[0]) {
    super(describeError(error))
  }
}

/**
 * One store for as long as the pane is open, on one persistent workbook session: the pane writes
 * often, and a session makes each update two round trips (issue 7). Closed when the page goes.
 */
export function usePaneStore(source: WorkbookSource): PaneStore {
  const store = useMemo(() => openPageStore(source, { session: 'persistent' }), [source])
  useEffect(() => {
    const close = (): void => void store.close()
    window.addEventListener('pagehide', close)
    return () => {
      window.removeEventListener('pagehide', close)
      close()
    }
  }, [store])
  return store
}

export const PANE_QUERY = ['pane'] as const

/** The plan as of today, with the rows each edit compares against. */
export function usePane(store: PaneStore) {
  return useQuery<EditableDashboard, Error>({
    queryKey: PANE_QUERY,
    queryFn: async () => {
      const today = todayIso()
      const loaded = await loadEditableDashboard(store, today, today, new Date().toISOString())
      if (!loaded.ok) throw new PaneFailure(loaded.error)
      return loaded.value
    },
    retry: false,
    staleTime: 15_000,
    refetchOnWindowFocus: true,
  })
}

/** After a write, read again so every view shows what the workbook now holds. */
export function useReload(): () => Promise<void> {
  const client = useQueryClient()
  return () => client.invalidateQueries({ queryKey: PANE_QUERY })
}
