import { resolve } from 'node:path'
import { withFileLock, type LockOptions } from './file-lock.ts'

/**
 * One write at a time per workbook file: within this process by a queue, across processes by
 * a lock file, since each write loads, changes and saves the whole file.
 */
const tails = new Map<string, Promise<unknown>>()

export function queueWrite<T>(path: string, work: () => Promise<T>, lock: LockOptions = {}): Promise<T> {
  const key = resolve(path)
  const previous = tails.get(key) ?? Promise.resolve()
  const locked = () => withFileLock(key, work, lock)
  const run = previous.then(locked, locked)
  const tail = run.catch(() => undefined)
  tails.set(key, tail)
  // Forget the queue once it drains, so long-running processes do not keep one entry per file.
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key)
  })
  return run
}
