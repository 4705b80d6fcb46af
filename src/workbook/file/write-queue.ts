import { resolve } from 'node:path'
import { createKeyedSerialQueue } from '../serial-queue.ts'
import { withFileLock, type LockOptions } from './file-lock.ts'

/**
 * One write at a time per workbook file: within this process by a queue, across processes by
 * a lock file, since each write loads, changes and saves the whole file.
 */
const writes = createKeyedSerialQueue()

export function queueWrite<T>(path: string, work: () => Promise<T>, lock: LockOptions = {}): Promise<T> {
  const key = resolve(path)
  return writes.run(key, () => withFileLock(key, work, lock))
}
