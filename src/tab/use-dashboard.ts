import { queryOptions, useQuery } from '@tanstack/react-query'
import { loadDashboard, type Dashboard } from '../app/dashboard.ts'
import type { IsoDate } from '../domain/dates.ts'
import { describeError } from '../messages/errors.ts'
import { systemClock } from '../workbook/graph/chain/clock.ts'
import { createGraphTransport } from '../workbook/graph/chain/transport.ts'
import { openPageStore, type WorkbookSource } from '../workbook/graph/page-source.ts'
import { driveItemWebUrl } from '../workbook/graph/protocol/location.ts'

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
export function dashboardQuery(source: WorkbookSource, asOf: IsoDate, today: IsoDate) {
  return queryOptions<Dashboard, Error>({
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

export function useDashboard(source: WorkbookSource, asOf: IsoDate, today: IsoDate) {
  return useQuery(dashboardQuery(source, asOf, today))
}

/**
 * Where "Open in Excel" goes: what the local server says, else the workbook's `webUrl` from Graph,
 * read once (it does not change while the tab is open) and only when the dashboard has none.
 */
export function useWorkbookLink(source: WorkbookSource): string | null {
  const query = useQuery<string | null, Error>({
    queryKey: ['webUrl', source.location.baseUrl, source.location.itemPath],
    enabled: source.webUrl === null,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    queryFn: async () => {
      const transport = createGraphTransport({ baseUrl: source.location.baseUrl, tokens: source.tokens, clock: systemClock })
      const link = await driveItemWebUrl(transport, source.location)
      return link.ok ? link.value : null
    },
  })
  return source.webUrl ?? query.data ?? null
}
