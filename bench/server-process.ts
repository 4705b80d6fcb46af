import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { ChildMessage } from './server-child.ts'

/** The local server in a child process (bench/server-child.ts), with what the bench asks of it. */
export type ServerProcess = {
  origin: string
  graphBaseUrl: string
  driveItemId: string
  /** From the child's start of `startServer` to listening: loading the workbook. */
  startMs: number
  /** Saves begun so far (each group of writes is one save; one per write when groupCommit is false); null when the server is too busy to say. */
  saves(): Promise<number | null>
  /** Ends the process (SIGKILL: the workbook is a throwaway copy); gives its peak RSS until then. */
  stop(): Promise<{ maxRssMb: number | null }>
}

const REPO = join(import.meta.dirname, '..')

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, types: readonly T[], timeoutMs: number): Promise<Extract<ChildMessage, { type: T }> | Extract<ChildMessage, { type: 'failed' }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`the server process said nothing within ${Math.round(timeoutMs / 1000)} s`))
    }, timeoutMs)
    const onMessage = (message: ChildMessage): void => {
      if ((types as readonly string[]).includes(message.type) || message.type === 'failed') {
        cleanup()
        resolve(message as Extract<ChildMessage, { type: T }> | Extract<ChildMessage, { type: 'failed' }>)
      }
    }
    const onExit = (code: number | null): void => {
      cleanup()
      reject(new Error(`the server process ended (exit ${code})`))
    }
    const cleanup = (): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}

export async function startServerProcess(options: { workbook: string; staticDir?: string; groupCommit: boolean; editInPlace?: boolean }, startTimeoutMs = 180_000): Promise<ServerProcess> {
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const stderr: string[] = []
  const child = fork(join(REPO, 'bench', 'server-child.ts'), [JSON.stringify(options)], {
    cwd: REPO,
    env,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.join('').length < 4000) stderr.push(c.toString('utf8'))
  })
  let ready: Awaited<ReturnType<typeof nextMessage<'ready'>>>
  try {
    ready = await nextMessage(child, ['ready'], startTimeoutMs)
  } catch (error) {
    child.kill('SIGKILL')
    const why = stderr.join('').trim().split('\n').slice(-3).join(' ')
    throw new Error(`${error instanceof Error ? error.message : String(error)}${why ? `: ${why}` : ''}`)
  }
  if (ready.type === 'failed') {
    child.kill('SIGKILL')
    throw new Error(ready.error)
  }
  let stopped: Promise<{ maxRssMb: number | null }> | null = null
  // The child answers between jobs: while it saves (synchronous work, tens of seconds at L) it cannot.
  const ask = async (timeoutMs = 10_000): Promise<{ saves: number; maxRssMb: number } | null> => {
    if (child.exitCode !== null || !child.connected) return null
    const answer = nextMessage(child, ['saves'], timeoutMs)
    child.send({ type: 'saves' })
    const got = await answer
    return got.type === 'saves' ? got : null
  }
  return {
    origin: ready.origin,
    graphBaseUrl: ready.graphBaseUrl,
    driveItemId: ready.driveItemId,
    startMs: ready.startMs,
    saves: async () => (await ask().catch(() => null))?.saves ?? null,
    stop: () => {
      stopped ??= (async () => {
        const last = await ask().catch(() => null)
        const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))
        child.kill('SIGKILL')
        await exited
        return { maxRssMb: last?.maxRssMb ?? null }
      })()
      return stopped
    },
  }
}
