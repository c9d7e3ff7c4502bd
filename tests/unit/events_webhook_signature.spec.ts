import { test } from '@japa/runner'
import { signWebhookBody, verifyWebhookSignature } from '#webhooks/signature'
import { isPublicAddress, urlProblem, vetTarget } from '#webhooks/target_guard'

test.group('Webhook signatures and targets', () => {
  test('the signature is HMAC-SHA256 over "<timestamp>.<body>", checked within the replay window', ({
    assert,
  }) => {
    const body = '{"id":"e1","type":"ledger.entry.posted"}'
    const signature = signWebhookBody('s3cret-s3cret-s3cret', 1_700_000_000, body)
    // a value any receiver can recompute with standard tools
    assert.match(signature, /^v1=[0-9a-f]{64}$/)
    const now = 1_700_000_000
    assert.isTrue(
      verifyWebhookSignature('s3cret-s3cret-s3cret', '1700000000', body, signature, 300, now)
    )
    assert.isTrue(
      verifyWebhookSignature('s3cret-s3cret-s3cret', 1_700_000_000, body, signature, 300, now + 300)
    )
    // replayed too late, or stamped in the future
    assert.isFalse(
      verifyWebhookSignature('s3cret-s3cret-s3cret', 1_700_000_000, body, signature, 300, now + 301)
    )
    assert.isFalse(
      verifyWebhookSignature('s3cret-s3cret-s3cret', 1_700_000_000, body, signature, 300, now - 301)
    )
    // a changed body, timestamp or secret fails
    assert.isFalse(
      verifyWebhookSignature('s3cret-s3cret-s3cret', now, `${body} `, signature, 300, now)
    )
    assert.isFalse(
      verifyWebhookSignature('s3cret-s3cret-s3cret', now + 1, body, signature, 300, now)
    )
    assert.isFalse(verifyWebhookSignature('other-secret-value', now, body, signature, 300, now))
    assert.isFalse(verifyWebhookSignature('s3cret-s3cret-s3cret', '', body, signature, 300, now))
    assert.isFalse(verifyWebhookSignature('s3cret-s3cret-s3cret', 'abc', body, signature, 300, now))
    assert.isFalse(verifyWebhookSignature('s3cret-s3cret-s3cret', now, body, 'v1=00', 300, now))
  })

  test('addresses: public ones pass, inward ones do not', ({ assert }) => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) {
      assert.isTrue(isPublicAddress(address), address)
    }
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.251',
      '255.255.255.255',
      '::',
      '::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:a00:1',
    ]) {
      assert.isFalse(isPublicAddress(address), address)
    }
  })

  test('URLs: only http(s); literal inward addresses refused unless allowed', async ({
    assert,
  }) => {
    assert.include(urlProblem('ftp://example.com', true)!, 'http')
    assert.include(urlProblem('file:///etc/passwd', true)!, 'http')
    assert.isNotNull(urlProblem('http://user:pw@example.com/', true))
    assert.isNull(urlProblem('http://127.0.0.1:3000/x', true))
    assert.isNotNull(urlProblem('http://127.0.0.1:3000/x', false))
    assert.isNotNull(urlProblem('http://0x7f.1/x', false))
    assert.isNotNull(urlProblem('http://localhost/x', false))
    assert.isNull(urlProblem('https://hooks.example.com/x', false))
    await assert.rejects(() => vetTarget('http://[::1]:80/', false))
    await assert.rejects(() => vetTarget('http://192.168.1.1/', false))
    const vetted = await vetTarget('http://127.0.0.1:9/', true)
    assert.equal(vetted.address, '127.0.0.1')
  })
})
