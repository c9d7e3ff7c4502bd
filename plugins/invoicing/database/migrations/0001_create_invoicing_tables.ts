import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Invoicing: catalog (items with a price per currency, tax rates), quotes,
 * invoices and credit notes (one table, `kind`), their lines, per-tenant
 * number counters, payments with their allocations to invoices, refunds and
 * the overdue reminders already sent. Every table carries tenant_id and starts
 * with "invoicing_". Amounts are integer minor units (bigint), never floats.
 */
export default class extends BaseSchema {
  async up() {
    const tenant = (table: any) =>
      table
        .integer('tenant_id')
        .unsigned()
        .notNullable()
        .references('tenants.id')
        .onDelete('CASCADE')

    this.schema.createTable('invoicing_tax_rates', (table) => {
      table.increments('id')
      tenant(table)
      table.string('name', 100).notNullable()
      /* millionths: 20% = 200000, 8.875% = 88750; 0..1000000 */
      table.integer('rate_ppm').notNullable()
      /* true: prices include the tax; false: the tax is added on top */
      table.boolean('inclusive').notNullable().defaultTo(false)
      table.boolean('archived').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'archived'])
    })

    this.schema.createTable('invoicing_items', (table) => {
      table.increments('id')
      tenant(table)
      table.string('kind', 16).notNullable()
      table.string('name', 200).notNullable()
      table.text('description').nullable()
      table
        .integer('tax_rate_id')
        .unsigned()
        .nullable()
        .references('invoicing_tax_rates.id')
        .onDelete('SET NULL')
      table.boolean('archived').notNullable().defaultTo(false)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'archived', 'name'])
    })

    this.schema.createTable('invoicing_item_prices', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('item_id')
        .unsigned()
        .notNullable()
        .references('invoicing_items.id')
        .onDelete('CASCADE')
      table.string('currency', 3).notNullable()
      table.bigInteger('unit_price').notNullable()
      table.unique(['item_id', 'currency'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('invoicing_quotes', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('client_id')
        .unsigned()
        .nullable()
        .references('crm_clients.id')
        .onDelete('RESTRICT')
      table.string('status', 16).notNullable()
      table.string('currency', 3).notNullable()
      table.string('expires_on', 10).notNullable()
      table.bigInteger('subtotal').notNullable().defaultTo(0)
      table.bigInteger('tax_total').notNullable().defaultTo(0)
      table.bigInteger('total').notNullable().defaultTo(0)
      table.bigInteger('deposit').notNullable().defaultTo(0)
      table.text('notes').nullable()
      table.timestamp('sent_at').nullable()
      table.string('signature_name', 200).nullable()
      table.timestamp('approved_at').nullable()
      table.integer('invoice_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'status', 'id'])
      table.index(['client_id'])
    })

    this.schema.createTable('invoicing_invoices', (table) => {
      table.increments('id')
      tenant(table)
      /* dates are YYYY-MM-DD text, as the ledger keeps them */
      /* invoice or credit_note; a credit note names the invoice it credits */
      table.string('kind', 16).notNullable().defaultTo('invoice')
      table
        .integer('client_id')
        .unsigned()
        .nullable()
        .references('crm_clients.id')
        .onDelete('RESTRICT')
      /* assigned when issued, per tenant and kind, without gaps */
      table.integer('number').nullable()
      table.string('display_number', 40).nullable()
      table.string('status', 16).notNullable()
      table.string('currency', 3).notNullable()
      table.string('issue_date', 10).nullable()
      table.string('due_date', 10).nullable()
      table.integer('terms_days').nullable()
      table.bigInteger('subtotal').notNullable().defaultTo(0)
      table.bigInteger('tax_total').notNullable().defaultTo(0)
      table.bigInteger('total').notNullable().defaultTo(0)
      table.bigInteger('amount_paid').notNullable().defaultTo(0)
      table.bigInteger('amount_credited').notNullable().defaultTo(0)
      table
        .integer('credited_invoice_id')
        .unsigned()
        .nullable()
        .references('invoicing_invoices.id')
        .onDelete('RESTRICT')
      table
        .integer('quote_id')
        .unsigned()
        .nullable()
        .references('invoicing_quotes.id')
        .onDelete('SET NULL')
      /* who asked for it: "salon:appointment:12" when another plugin bills a client */
      table.string('source_reference', 200).nullable()
      table.text('notes').nullable()
      table.text('reason').nullable()
      table.integer('ledger_entry_id').nullable()
      table.integer('void_entry_id').nullable()
      table.timestamp('sent_at').nullable()
      table.timestamp('paid_at').nullable()
      table.timestamp('voided_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['tenant_id', 'kind', 'number'])
      table.index(['tenant_id', 'status', 'due_date'])
      table.index(['tenant_id', 'client_id', 'currency', 'status'])
      table.index(['credited_invoice_id'])
    })

    this.schema.createTable('invoicing_lines', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('quote_id')
        .unsigned()
        .nullable()
        .references('invoicing_quotes.id')
        .onDelete('CASCADE')
      table
        .integer('invoice_id')
        .unsigned()
        .nullable()
        .references('invoicing_invoices.id')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table
        .integer('item_id')
        .unsigned()
        .nullable()
        .references('invoicing_items.id')
        .onDelete('SET NULL')
      table.string('description', 500).notNullable()
      /* thousandths: 1.5 = 1500 */
      table.bigInteger('quantity_milli').notNullable()
      table.bigInteger('unit_price').notNullable()
      table.integer('tax_rate_id').unsigned().nullable()
      table.integer('tax_rate_ppm').notNullable().defaultTo(0)
      table.boolean('tax_inclusive').notNullable().defaultTo(false)
      table.bigInteger('net').notNullable()
      table.bigInteger('tax').notNullable()
      table.bigInteger('total').notNullable()
      table.index(['quote_id', 'position'])
      table.index(['invoice_id', 'position'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('invoicing_counters', (table) => {
      tenant(table)
      table.string('series', 20).notNullable()
      table.integer('last_number').notNullable().defaultTo(0)
      table.primary(['tenant_id', 'series'])
    })

    this.schema.createTable('invoicing_payments', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('client_id')
        .unsigned()
        .notNullable()
        .references('crm_clients.id')
        .onDelete('RESTRICT')
      table.string('currency', 3).notNullable()
      table.bigInteger('amount').notNullable()
      table.bigInteger('amount_refunded').notNullable().defaultTo(0)
      table.string('received_on', 10).notNullable()
      table.string('method', 40).nullable()
      table.string('reference', 200).nullable()
      table.integer('ledger_entry_id').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['tenant_id', 'client_id'])
    })

    this.schema.createTable('invoicing_payment_allocations', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('payment_id')
        .unsigned()
        .notNullable()
        .references('invoicing_payments.id')
        .onDelete('CASCADE')
      table
        .integer('invoice_id')
        .unsigned()
        .notNullable()
        .references('invoicing_invoices.id')
        .onDelete('RESTRICT')
      table.bigInteger('amount').notNullable()
      table.bigInteger('amount_refunded').notNullable().defaultTo(0)
      table.index(['payment_id'])
      table.index(['invoice_id'])
      table.index(['tenant_id'])
    })

    this.schema.createTable('invoicing_refunds', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('payment_id')
        .unsigned()
        .notNullable()
        .references('invoicing_payments.id')
        .onDelete('CASCADE')
      table.bigInteger('amount').notNullable()
      table.string('refunded_on', 10).notNullable()
      table.string('reason', 500).nullable()
      table.integer('ledger_entry_id').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['tenant_id', 'payment_id'])
    })

    this.schema.createTable('invoicing_reminders', (table) => {
      table.increments('id')
      tenant(table)
      table
        .integer('invoice_id')
        .unsigned()
        .notNullable()
        .references('invoicing_invoices.id')
        .onDelete('CASCADE')
      table.string('reminded_on', 10).notNullable()
      table.integer('days_overdue').notNullable()
      table.timestamp('created_at').notNullable()
      /* one overdue event per invoice per day, however often the job runs */
      table.unique(['invoice_id', 'reminded_on'])
      table.index(['tenant_id'])
    })
  }

  async down() {
    // SQLite drops a table by deleting its rows: credit notes go before the invoices they reference
    this.defer(async (db) => {
      await db.from('invoicing_invoices').whereNotNull('credited_invoice_id').delete()
    })
    this.schema.dropTable('invoicing_reminders')
    this.schema.dropTable('invoicing_refunds')
    this.schema.dropTable('invoicing_payment_allocations')
    this.schema.dropTable('invoicing_payments')
    this.schema.dropTable('invoicing_counters')
    this.schema.dropTable('invoicing_lines')
    this.schema.dropTable('invoicing_invoices')
    this.schema.dropTable('invoicing_quotes')
    this.schema.dropTable('invoicing_item_prices')
    this.schema.dropTable('invoicing_items')
    this.schema.dropTable('invoicing_tax_rates')
  }
}
