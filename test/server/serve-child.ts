import { startServer } from '../../src/server/server.ts'

/** Runs the server in its own process, so durability.test.ts can SIGKILL it mid-write. */
const workbook = process.argv[2]
if (workbook === undefined) throw new Error('usage: serve-child.ts <workbook.xlsx>')
const server = await startServer({ workbook, port: 0 })
process.stdout.write(`${JSON.stringify({ graphBaseUrl: server.graphBaseUrl, driveItemId: server.driveItemId })}\n`)
