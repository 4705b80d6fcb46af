import { noToken } from '../../src/auth/tokens.ts'
import { openGraphStore } from '../../src/workbook/graph/graph-store.ts'
import { parseDriveItemUrl } from '../../src/workbook/graph/location.ts'
import { startServer } from '../../src/server/server.ts'
import { describeWorkbookStore } from './store-contract.ts'

// The Graph adapter over the local Graph-compatible server on loopback: the same client code
// that talks to Microsoft 365, with only the base URL and token provider changed.
describeWorkbookStore(
  'Microsoft Graph (local server)',
  async ({ path }) => {
    const server = await startServer({ workbook: path })
    const location = parseDriveItemUrl(server.driveItemUrl)
    if (!location.ok) throw new Error(location.error)
    const open = () => openGraphStore({ location: location.value, tokens: noToken })
    return { store: open(), reopen: async () => open(), cleanup: () => server.close() }
  },
  { sessions: true },
)
