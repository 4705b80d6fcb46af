import { useQuery } from '@tanstack/react-query'
import { loadDashboard, type Dashboard } from '../app/dashboard.ts'
import type { IsoDate } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { openPageStore, type WorkbookSource } from '../workbook/graph/page-source.ts'

/** A failed read, worded once; the page shows it in place with a retry. */
export class ReadFailure extends Error {
  constructor(readonly error: Parameters<typeof describeError>[0]) {
    super(describeError(error))
  }
}

/**
 * The dashboard for one as-of date. TanStack Query keeps one request in flight per key, caches
 * it and refetches when the window regains focus. It does not retry: the Graph client already
 * retries throttling and dropped connections, so more tries here would only report an outage later.
 */
export function useDashboard(source: WorkbookSource, asOf: IsoDate, today: IsoDate) {
  return useQuery<Dashboard, Error>({
    queryKey: ['dashboard', source.location.baseUrl, source.location.itemPath, asOf, today],
    queryFn: async () => {
      const store = openPageStore(source)
      try {
        const loaded = await loadDashboard(store, asOf, today, new Date().toISOString())
        if (!loaded.ok) throw new ReadFailure(loaded.error)
        return loaded.value
      } finally {
        await store.close()
      }
    },
    retry: false,
    staleTime: 30_000,
    refetchOnWindowFocus: true,
  })
}
