import { GraphClientError } from '@microsoft/microsoft-graph-client'
import type { StoreError } from '../../store.ts'

/**
 * A StoreError thrown inside the middleware chain. It extends the SDK's GraphClientError
 * because GraphRequest.send rethrows that class untouched, while it rewraps anything else
 * into a GraphError and the kind would be lost.
 */
export class StoreFailure extends GraphClientError {
  readonly error: StoreError

  constructor(error: StoreError) {
    super(`Microsoft Graph request failed: ${error.kind}`)
    // GraphClientError resets the prototype to its own; restore ours so instanceof works.
    Object.setPrototypeOf(this, StoreFailure.prototype)
    this.name = 'StoreFailure'
    this.error = error
  }
}
