import { open, readFile, realpath, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'

/**
 * A lock file beside the workbook (`plan.xlsx.lock`), so that two processes writing the same
 * file (two CLI commands, or a CLI command and the local server) take turns instead of one
 * silently overwriting the other's save. Created with O_EXCL and then filled with
 * `pid\nhostname\n`; a lock whose process is gone, or that is older than `staleMs`, is taken
 * over. Only writers take it: every save is a rename, so a reader always finds a whole file.
 */
export type LockOptions = {
  /** How long a writer waits for another program's lock before giving up with WorkbookBusy. */
  waitMs?: number
  staleMs?: number
  /**
   * An empty (or half-written) lock file is normal for the instant between its creation and
   * its first write; one still like that after this long was left by a process that died in
   * between, and is taken over.
   */
  emptyGraceMs?: number
  pollMs?: number
  /** Milliseconds now, compared with the lock file's mtime; tests pass a fixed clock. */
  now?: () => number
  /** Called each time the lock is found held by someone else, so a test can act while a writer waits. */
  onWait?: () => void
}

/** Another program kept the workbook's write lock past the wait. */
export class WorkbookBusy extends Error {
  constructor(readonly path: string) {
    super(`${path} is being written by another program`)
    this.name = 'WorkbookBusy'
  }
}

const DEFAULTS = { waitMs: 30_000, staleMs: 120_000, emptyGraceMs: 2_000, pollMs: 25 }

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

type Timing = { staleMs: number; emptyGraceMs: number; now: () => number }

async function isStale(lockPath: string, timing: Timing): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
    const age = timing.now() - info.mtimeMs
    if (age > timing.staleMs) return true
    const match = /^(\d+)\n([^\n]*)\n/.exec(text)
    if (!match) return age > timing.emptyGraceMs
    const [, pid, host] = match
    return host === hostname() && !processAlive(Number(pid))
  } catch {
    // Gone (released meanwhile): try to take it again.
    return false
  }
}

/**
 * The lock belongs to the file a save replaces: a workbook reached through a symbolic link is
 * saved to the link's target (workbook-file.ts), so writers using the link and the target must
 * meet at one lock, beside the target.
 */
async function lockPathOf(path: string): Promise<string> {
  const target = await realpath(path).catch(() => path)
  return `${target}.lock`
}

/** Whether another live program holds the workbook's lock right now (a stale lock does not count). */
export async function lockHeld(path: string, options: LockOptions = {}): Promise<boolean> {
  const { staleMs, emptyGraceMs } = { ...DEFAULTS, ...options }
  const lockPath = await lockPathOf(path)
  const exists = await stat(lockPath).then(
    () => true,
    () => false,
  )
  return exists && !(await isStale(lockPath, { staleMs, emptyGraceMs, now: options.now ?? Date.now }))
}

export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { waitMs, staleMs, emptyGraceMs, pollMs } = { ...DEFAULTS, ...options }
  const now = options.now ?? Date.now
  const lockPath = await lockPathOf(path)
  const giveUpAt = now() + waitMs
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx')
      try {
        await handle.writeFile(`${process.pid}\n${hostname()}\n`)
      } finally {
        await handle.close()
      }
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (await isStale(lockPath, { staleMs, emptyGraceMs, now })) {
        await rm(lockPath, { force: true })
        continue
      }
      options.onWait?.()
      if (now() >= giveUpAt) throw new WorkbookBusy(path)
      await new Promise((done) => setTimeout(done, pollMs))
    }
  }
  try {
    return await work()
  } finally {
    await rm(lockPath, { force: true })
  }
}
