import { isRecord } from '../domain/records.ts'

/**
 * The landing page of `npm start`: doors to the tab, the task pane and the served workbook. The
 * workbook's download address and Graph item come from the server's /local-config.json.
 */
async function start(): Promise<void> {
  const link = document.getElementById('workbook-link')
  const where = document.getElementById('workbook-where')
  const message = document.getElementById('message')
  try {
    const response = await fetch('/local-config.json')
    const config: unknown = response.ok ? await response.json() : null
    if (!isRecord(config) || typeof config.webUrl !== 'string' || typeof config.graphBaseUrl !== 'string' || typeof config.driveItemPath !== 'string') {
      throw new Error('The local server did not say which workbook it serves.')
    }
    link?.setAttribute('href', config.webUrl)
    link?.setAttribute('download', '')
    if (where) where.textContent = `As a SOURCE for the CLI: ${config.graphBaseUrl}${config.driveItemPath}`
  } catch (error) {
    if (message) message.textContent = `Could not ask the local server about its workbook: ${error instanceof Error ? error.message : String(error)}`
  }
}

void start()
