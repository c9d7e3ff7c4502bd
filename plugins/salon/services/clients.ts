import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ApiError } from '#plinth'
import { crmClientCreator, findClient } from '../../crm/public.js'

/* a client booking for the first time: created in the CRM with the booking */
export type NewClient = { name: string; email?: string; phone?: string }

/* call before the booking's transaction: reads what creating a client needs */
export async function clientResolver(input: { clientId?: number; client?: NewClient }) {
  const create = input.client ? await crmClientCreator() : null
  return (trx: TransactionClientContract) => resolveClient(input, create, trx)
}

/* The CRM client of a booking: an existing one (by id), or a new one created in the same transaction. */
async function resolveClient(
  input: { clientId?: number; client?: NewClient },
  create: Awaited<ReturnType<typeof crmClientCreator>> | null,
  trx: TransactionClientContract
): Promise<number> {
  if (input.clientId !== undefined) {
    const client = await findClient(input.clientId, { client: trx })
    if (!client || client.erased)
      throw new ApiError(422, 'UNKNOWN_CLIENT', `No client with id ${input.clientId}`, {
        pointer: '/data/attributes/clientId',
      })
    return client.id
  }
  if (!input.client || !create)
    throw new ApiError(422, 'VALIDATION_ERROR', 'Give clientId or the new client', {
      pointer: '/data/attributes/clientId',
    })
  return create(
    {
      kind: 'person',
      name: input.client.name,
      ...(input.client.email ? { emails: [{ email: input.client.email }] } : {}),
      ...(input.client.phone ? { phones: [{ number: input.client.phone }] } : {}),
    },
    trx
  )
}
