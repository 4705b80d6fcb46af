import { startServer } from '../../src/server/server.ts'

/**
 * Runs the server in its own process, so durability.test.ts can kill it. With a crash point
 * (`written:N` or `renamed:N`) it SIGKILLs itself at that stage of its Nth save: the new copy
 * written but not yet in place, or just put in place with the answer not yet sent.
 */
const [workbook, crashAt] = process.argv.slice(2)
if (workbook === undefined) throw new Error('usage: serve-child.ts <workbook.xlsx> [written:N|renamed:N]')
const [stage, count] = (crashAt ?? '').split(':')
let saves = 0
const server = await startServer({
  workbook,
  port: 0,
  onSave: (at) => {
    if (at === 'written') saves += 1
    if (at === stage && saves === Number(count)) process.kill(process.pid, 'SIGKILL')
  },
})
process.stdout.write(`${JSON.stringify({ graphBaseUrl: server.graphBaseUrl, driveItemId: server.driveItemId })}\n`)
