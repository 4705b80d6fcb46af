import { describe, expect, it } from 'vitest'
import { createKeyedSerialQueue, createSerialQueue } from '../../src/workbook/serial-queue.ts'

const tick = () => new Promise((r) => setTimeout(r, 1))

describe('serial queue', () => {
  it('runs jobs one at a time, in order, past a failure', async () => {
    const queue = createSerialQueue()
    const log: string[] = []
    const job = (name: string, fail = false) => async () => {
      log.push(`${name} start`)
      await tick()
      log.push(`${name} end`)
      if (fail) throw new Error(name)
      return name
    }
    const a = queue.run(job('a'))
    const b = queue.run(job('b', true))
    const c = queue.run(job('c'))
    await expect(a).resolves.toBe('a')
    await expect(b).rejects.toThrow('b')
    await expect(c).resolves.toBe('c')
    await queue.idle()
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end'])
  })

  it('keeps keys apart: one key waits for itself, not for another', async () => {
    const queues = createKeyedSerialQueue()
    const log: string[] = []
    let release = () => {}
    const held = queues.run('x', () => new Promise<void>((r) => (release = r)))
    const sameKey = queues.run('x', async () => void log.push('x2'))
    await queues.run('y', async () => void log.push('y'))
    expect(log).toEqual(['y'])
    release()
    await held
    await sameKey
    expect(log).toEqual(['y', 'x2'])
  })
})
