import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import type { Started } from './start.ts'

/** Why a page cannot show its workbook yet, and the one thing to do about it. */
export function StartProblem({ started }: { started: Exclude<Started, { kind: 'ready' }> }) {
  switch (started.kind) {
    case 'redirecting':
      return <p role="status">Signing you in to Microsoft 365…</p>
    case 'noWorkbook':
      return (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>No workbook to open</MessageBarTitle>
            {started.message}
          </MessageBarBody>
        </MessageBar>
      )
    case 'signInNeeded': {
      const { message, signIn } = started
      return (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{message.title}</MessageBarTitle>
            {message.whatToDo}
          </MessageBarBody>
          <MessageBarActions>
            {message.action === 'signIn' && <Button onClick={() => void signIn.signIn().then(() => window.location.reload())}>Sign in</Button>}
            {message.action === 'retry' && <Button onClick={() => window.location.reload()}>Try again</Button>}
            {message.action === 'openInBrowser' && (
              <Button as="a" href={window.location.href} target="_blank" rel="noreferrer">
                Open in a browser
              </Button>
            )}
          </MessageBarActions>
        </MessageBar>
      )
    }
  }
}
