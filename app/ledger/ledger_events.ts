import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { PostedEntry } from '#ledger/ledger_service'

/*
 * The domain events of the ledger, written in the posting's transaction.
 * Wired to the EVENTS outbox in app/ledger/ledger_event_types.ts when it exists.
 */
export const ledgerEvents = {
  async posted(_entry: PostedEntry, _tenantId: number, _trx: TransactionClientContract) {},
  async reversed(
    _entry: PostedEntry,
    _reversedId: number,
    _tenantId: number,
    _trx: TransactionClientContract
  ) {},
}
