import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#plinth'
import { findClient, type ClientSummary } from '../../crm/public.js'

/* The CRM client a document is for, through the CRM plugin's public surface. */
export async function requireClient(
  clientId: number,
  trx?: TransactionClientContract,
  pointer = 'clientId'
): Promise<ClientSummary> {
  const client = await findClient(clientId, { client: trx })
  if (!client) throw ApiError.validation(pointer, `Client ${clientId} does not exist`)
  return client
}

export { findClient }
