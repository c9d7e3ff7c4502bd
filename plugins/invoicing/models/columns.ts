import { column } from '@adonisjs/lucid/orm'
import { toBigInt } from '#plinth'

/* bigint minor units: read exactly (pg hands int8 back as text), written as text */
export const money = () =>
  column({
    consume: (value: unknown) => toBigInt(value),
    prepare: (value: bigint) => value.toString(),
  })

/* SQLite hands booleans back as 0/1 */
export const flag = () => column({ consume: (value: unknown) => Boolean(value) })
