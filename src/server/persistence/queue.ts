/**
 * One queue for every workbook operation: reads and writes run one at a time, so a read never
 * sees half a write and saves never interleave (the service also wants one request at a time
 * per workbook, concepts/workbook-best-practice.md).
 */
export type SerialQueue = {
  run<T>(job: () => Promise<T>): Promise<T>
  /** Resolves once every job queued so far has settled. */
  idle(): Promise<void>
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve()
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      const result = tail.then(job, job)
      tail = result.catch(() => undefined)
      return result
    },
    idle: () => tail.then(() => undefined),
  }
}
