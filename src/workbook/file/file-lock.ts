import { open, readFile, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'

/**
 * A lock file beside the workbook (`plan.xlsx.lock`), so that two processes writing the same
 * file (two CLI commands, or a CLI command and the local server) take turns instead of one
 * silently overwriting the other's save. Created with O_EXCL; a lock whose process is gone,
 * or that is older than `staleMs`, is taken over.
 */
export type LockOptions = { waitMs?: number; staleMs?: number; pollMs?: number }

export class WorkbookBusy extends Error {}

const DEFAULTS = { waitMs: 30_000, staleMs: 120_000, pollMs: 25 }

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
    if (Date.now() - info.mtimeMs > staleMs) return true
    const [pid, host] = text.split('\n')
    return host === hostname() && Number.isInteger(Number(pid)) && !processAlive(Number(pid))
  } catch {
    // Gone (released meanwhile) or unreadable mid-write: try to take it again.
    return false
  }
}

export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { waitMs, staleMs, pollMs } = { ...DEFAULTS, ...options }
  const lockPath = `${path}.lock`
  const giveUpAt = Date.now() + waitMs
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx')
      await handle.writeFile(`${process.pid}\n${hostname()}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await isStale(lockPath, staleMs)) {
        await rm(lockPath, { force: true })
        continue
      }
      if (Date.now() >= giveUpAt) throw new WorkbookBusy(`${path} is being written by another program; try again in a moment.`)
      await new Promise((done) => setTimeout(done, pollMs))
    }
  }
  try {
    return await work()
  } finally {
    await rm(lockPath, { force: true })
  }
}
