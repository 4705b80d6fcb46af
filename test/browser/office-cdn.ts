import type { BrowserContext } from 'playwright-core'

/**
 * taskpane.html loads Office.js from Microsoft's CDN. Tests never reach another host: the request
 * is answered here with an empty script, so the pane runs as it does in a plain browser.
 */
export async function routeOfficeJs(context: BrowserContext): Promise<void> {
  await context.route('https://appsforoffice.microsoft.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/javascript', body: '// Office.js stands aside in tests: the pane runs as a plain page.\n' }),
  )
}
