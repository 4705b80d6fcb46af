import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import type { ReactNode } from 'react'

/** "Saved to the workbook", said once the write is on the workbook, with what changed. */
export function Saved({ children }: { children: ReactNode }) {
  return (
    <MessageBar intent="success" role="status">
      <MessageBarBody>
        <MessageBarTitle>Saved to the workbook</MessageBarTitle>
        {children}
      </MessageBarBody>
    </MessageBar>
  )
}

/** A failed save: why, that nothing typed is lost, and Retry (the same action, so it cannot land twice). */
export function NotSaved({ message, kept, onRetry }: { message: string; kept: string; onRetry: () => void }) {
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Not saved</MessageBarTitle>
        {message} {kept}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onRetry}>Retry</Button>
      </MessageBarActions>
    </MessageBar>
  )
}
