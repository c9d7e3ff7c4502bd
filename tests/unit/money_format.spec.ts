import { test } from '@japa/runner'
import { formatAmount, formatMoney, onNormalSide } from '../../resources/app/format.js'

/*
 * The browser's money formatting (resources/app/format.ts): minor units to
 * major units with the currency's exponent, exact past 2^53. Grouping and the
 * decimal mark follow the locale, so they are read from Intl here.
 */
const group = new Intl.NumberFormat(undefined).format(1000).charAt(1)
const decimal = new Intl.NumberFormat(undefined).format(1.5).charAt(1)

test.group('Money formatting in the pages', () => {
  test('uses the ISO 4217 exponent of the currency', ({ assert }) => {
    assert.equal(formatAmount('12345', 'EUR'), `123${decimal}45`)
    assert.equal(formatAmount('5', 'EUR'), `0${decimal}05`)
    assert.equal(formatAmount('500', 'JPY'), '500')
    assert.equal(formatAmount('1234', 'BHD'), `1${decimal}234`)
    assert.equal(formatMoney('0', 'USD'), `0${decimal}00 USD`)
  })

  test('is exact for amounts a float would round, and signs negatives', ({ assert }) => {
    // 2^53 + 1 minor units
    assert.equal(
      formatAmount('9007199254740993', 'EUR'),
      `90${group}071${group}992${group}547${group}409${decimal}93`
    )
    assert.equal(
      formatAmount('-9223372036854775808', 'JPY').replaceAll(group, ''),
      '−9223372036854775808'
    )
    assert.equal(formatAmount(-250n, 'EUR'), `−2${decimal}50`)
  })

  test('shows balances on the account normal side', ({ assert }) => {
    assert.equal(onNormalSide('-12345', 'credit'), '12345')
    assert.equal(onNormalSide('-12345', 'debit'), '-12345')
    assert.equal(onNormalSide('0', 'credit'), '0')
  })
})
