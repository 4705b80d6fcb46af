/**
 * The one serial queue: jobs run one at a time, in the order given, each after the one before has
 * settled (a failed job does not stop the queue). The server runs every workbook operation through
 * one, the file store one per workbook file, the Graph store one per workbook (the service wants
 * one request at a time per workbook, concepts/workbook-best-practice.md).
 */
export type SerialQueue = {
  run<T>(job: () => Promise<T>): Promise<T>
  /** Resolves once every job queued so far has settled. */
  idle(): Promise<void>
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve()
  const run = <T>(job: () => Promise<T>): Promise<T> => {
    const result = tail.then(job, job)
    tail = result.catch(() => undefined)
    return result
  }
  return { run, idle: () => tail.then(() => undefined) }
}

/** One serial queue per key, each forgotten once it drains, so a long-running process keeps none for idle keys. */
export type KeyedSerialQueue = { run<T>(key: string, job: () => Promise<T>): Promise<T> }

export function createKeyedSerialQueue(): KeyedSerialQueue {
  const queues = new Map<string, { queue: SerialQueue; pending: number }>()
  const run = <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const entry = queues.get(key) ?? { queue: createSerialQueue(), pending: 0 }
    queues.set(key, entry)
    entry.pending += 1
    const result = entry.queue.run(job)
    void result
      .catch(() => undefined)
      .then(() => {
        entry.pending -= 1
        if (entry.pending === 0 && queues.get(key) === entry) queues.delete(key)
      })
    return result
  }
  return { run }
}
