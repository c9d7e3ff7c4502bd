import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export type KernelEvent = {
  name: string
  tenantId: number | null
  aggregate: { type: string; id: string | number }
  payload: Record<string, unknown>
}

type Publisher = (event: KernelEvent, trx: TransactionClientContract) => Promise<unknown>

let publisher: Publisher | null = null

/* The domain-event outbox the plugin system publishes to (bound at boot by wire_runtime.ts). */
export function useKernelEventPublisher(publish: Publisher) {
  publisher = publish
}

/* Publishes in the caller's transaction, so the event commits with the switch it reports. */
export async function publishKernelEvent(event: KernelEvent, trx: TransactionClientContract) {
  if (publisher) await publisher(event, trx)
}
