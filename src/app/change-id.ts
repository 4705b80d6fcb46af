/** Web Crypto, which Node 20 and every browser have; ES2023's types do not describe it. */
const webCrypto = (globalThis as unknown as { crypto: { randomUUID(): string } }).crypto

/** A ChangeId is made once per user action, before the first try, so retries can recognise it. */
export function newChangeId(): string {
  return webCrypto.randomUUID()
}

/** A short row key derived from the action's ChangeId, so a retried append finds its own row. */
export function rowKeyFor(prefix: string, changeId: string): string {
  return `${prefix}-${changeId.replace(/-/g, '').slice(0, 10).toUpperCase()}`
}
