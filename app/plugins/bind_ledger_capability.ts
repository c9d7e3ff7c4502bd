import { ledger, type PostInput, type PostedEntry } from '#ledger/ledger_service'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { bindCapability } from '#plugins/capabilities'

/* ledger.post: entries posted for the current tenant, their source stamped with the plugin's id. */
export type LedgerPoster = {
  post(
    input: Omit<PostInput, 'source'> & { reference?: string | null },
    options?: { trx?: TransactionClientContract }
  ): Promise<PostedEntry>
}

bindCapability('ledger.post', (plugin) => ({
  post({ reference, ...input }, options = {}) {
    return ledger.post(
      { ...input, source: { plugin: plugin.id, reference: reference ?? null } },
      { trx: options.trx }
    )
  },
}))
