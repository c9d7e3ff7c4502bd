import { randomUUID } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { invTenant, issuedInvoice, ledgerEntries, post } from './helpers.js'

/* Invoicing's part of the CRM's privacy export, erase and client timeline */
test.group('Invoicing in the CRM privacy export, erase and timeline', () => {
  test('export lists the documents, erase clears free text and keeps amounts', async ({
    client,
    assert,
  }) => {
    const tenant = await invTenant(client)
    const invoice = await issuedInvoice(client, tenant, undefined, { notes: 'Door code 1234' })
    await post(client, tenant, `/invoices/${invoice.id}/payments`, {
      amount: '2500',
      reference: 'Card of J. Doe',
    })

    const exported = await client
      .get(`/api/v1/crm/clients/${tenant.clientId}/export`)
      .bearerToken(tenant.token)
    exported.assertStatus(200)
    const mine = JSON.stringify(exported.body())
    assert.include(mine, 'INV-00001')
    assert.include(mine, 'Door code 1234')
    assert.include(mine, 'Card of J. Doe')

    const timeline = await client
      .get(`/api/v1/crm/clients/${tenant.clientId}/timeline`)
      .bearerToken(tenant.token)
    const types = timeline.body().data.map((entry: any) => entry.attributes?.type ?? entry.type)
    assert.include(types, 'invoicing.invoice')
    assert.include(types, 'invoicing.payment')

    const ledgerBefore = await ledgerEntries(tenant.tenantId)
    const erased = await client
      .post(`/api/v1/crm/clients/${tenant.clientId}/erase`)
      .bearerToken(tenant.token)
      .header('Idempotency-Key', randomUUID())
      .json({})
    erased.assertStatus(200)
    const row = await db.from('invoicing_invoices').where('id', invoice.id).first()
    assert.isNull(row.notes)
    assert.equal(String(row.total), '10000')
    assert.equal(row.display_number, 'INV-00001')
    const payment = await db.from('invoicing_payments').where('tenant_id', tenant.tenantId).first()
    assert.isNull(payment.reference)
    assert.equal(String(payment.amount), '2500')
    assert.deepEqual(await ledgerEntries(tenant.tenantId), ledgerBefore)
  })
})
