import { startServer, type RunningServer } from '../src/server/server.ts'

/**
 * The local server in its own process, as `npm start` runs it, for bench/server-process.ts: the
 * bench's clients, proxy and Chromium then do not share its event loop, and its memory is its own.
 * argv[2] is JSON: { workbook, staticDir?, groupCommit, editInPlace? }. Speaks over the IPC channel.
 */

type Options = { workbook: string; staticDir?: string; groupCommit: boolean; editInPlace?: boolean }
export type ChildMessage =
  | { type: 'ready'; origin: string; graphBaseUrl: string; driveItemId: string; startMs: number }
  | { type: 'failed'; error: string }
  | { type: 'saves'; saves: number; maxRssMb: number }

const send = (message: ChildMessage): void => {
  process.send?.(message)
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options
let saves = 0
let server: RunningServer | null = null
const started = performance.now()
try {
  server = await startServer({
    workbook: options.workbook,
    port: 0,
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    groupCommit: options.groupCommit,
    editInPlace: options.editInPlace ?? true,
    aroundSave: async (save) => {
      saves += 1
      await save()
    },
  })
  send({ type: 'ready', origin: server.origin, graphBaseUrl: server.graphBaseUrl, driveItemId: server.driveItemId, startMs: performance.now() - started })
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? error.message : String(error) })
  process.exit(1)
}

// The bench ends this process with SIGKILL once it has what it needs: its workbook is a throwaway
// copy, and a graceful close would wait for a save in progress (tens of seconds at L).
process.on('message', (message: { type?: string }) => {
  if (message.type === 'saves') send({ type: 'saves', saves, maxRssMb: process.resourceUsage().maxRSS / 1024 })
})
process.on('disconnect', () => process.exit(0))
