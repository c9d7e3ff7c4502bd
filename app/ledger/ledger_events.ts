import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { events } from '#events/events'
import type { PostedEntry } from '#ledger/ledger_service'

/*
 * The ledger's domain events, written to the outbox in the posting's
 * transaction: an event exists exactly when its entry does.
 */
const entrySchema = {
  type: 'object',
  required: ['entryId', 'date', 'sourcePlugin', 'lines'],
  properties: {
    entryId: { type: 'integer' },
    date: { type: 'string', format: 'date' },
    memo: { type: 'string' },
    sourcePlugin: { type: 'string' },
    sourceReference: { type: ['string', 'null'] },
    reversesEntryId: { type: ['integer', 'null'] },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['accountId', 'accountCode', 'side', 'amount', 'currency'],
        properties: {
          accountId: { type: 'integer' },
          accountCode: { type: 'string' },
          side: { enum: ['debit', 'credit'] },
          /* integer minor units as a string (exact past 2^53) */
          amount: { type: 'string', pattern: '^[0-9]+$' },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        },
      },
    },
  },
}

events.define({
  name: 'ledger.entry.posted',
  version: 1,
  schema: entrySchema,
  description: 'A journal entry was posted (reversals included)',
})
events.define({
  name: 'ledger.entry.reversed',
  version: 1,
  schema: entrySchema,
  description: 'An entry was reversed; the payload is the reversing entry',
})

const payloadOf = (entry: PostedEntry) => ({
  entryId: entry.id,
  date: entry.date,
  memo: entry.memo,
  sourcePlugin: entry.sourcePlugin,
  sourceReference: entry.sourceReference,
  reversesEntryId: entry.reversesEntryId,
  lines: entry.lines.map((line) => ({
    accountId: line.accountId,
    accountCode: line.accountCode,
    side: line.side,
    amount: line.amount.toString(),
    currency: line.currency,
  })),
})

export const ledgerEvents = {
  async posted(entry: PostedEntry, tenantId: number, trx: TransactionClientContract) {
    await events.publish(
      {
        name: 'ledger.entry.posted',
        tenantId,
        aggregate: { type: 'ledger-entry', id: entry.id },
        payload: payloadOf(entry),
      },
      trx
    )
  },
  /* The outbox row of posted(), for the group commit's one-statement write (see events.prepare). */
  postedRow(entry: PostedEntry, tenantId: number) {
    return events.prepare({
      name: 'ledger.entry.posted',
      tenantId,
      aggregate: { type: 'ledger-entry', id: entry.id },
      payload: payloadOf(entry),
    })
  },
  async reversed(
    entry: PostedEntry,
    reversedId: number,
    tenantId: number,
    trx: TransactionClientContract
  ) {
    await events.publish(
      {
        name: 'ledger.entry.reversed',
        tenantId,
        aggregate: { type: 'ledger-entry', id: reversedId },
        payload: payloadOf(entry),
      },
      trx
    )
  },
}
