import { BaseSchema } from '@adonisjs/lucid/schema'

/* The first answer to each POST sent with an Idempotency-Key, replayed on retries. */
export default class extends BaseSchema {
  protected tableName = 'idempotency_keys'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table.string('scope', 120).notNullable()
      table.string('key', 255).notNullable()
      table.string('request_hash', 64).notNullable()
      table.integer('status_code').nullable()
      table.text('response_body').nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['scope', 'key'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
