import { test } from '@japa/runner'
import { signup } from '#tests/helpers'

const setCookies = (response: any) => {
  const header = response.header('set-cookie')
  return (Array.isArray(header) ? header : header ? [header] : []).map(
    (cookie: string) => cookie.split('=')[0]
  )
}

test.group('API requests carry no session', () => {
  test('API answers set no cookies and keep the security headers; pages keep session and CSRF', async ({
    client,
    assert,
  }) => {
    const owner = await signup(client)
    for (const response of [
      await client.get('/api/v1/me').bearerToken(owner.token),
      await client.get('/api/v1/me'),
      await client.post('/api/v1/auth/tokens').json({ email: 'nobody@example.test' }),
    ]) {
      assert.deepEqual(setCookies(response), [], `${response.status()} ${response.text()}`)
      assert.include(response.header('content-security-policy'), "default-src 'self'")
      assert.equal(response.header('x-frame-options'), 'DENY')
      assert.equal(response.header('x-content-type-options'), 'nosniff')
    }

    const page = await client.get('/login')
    page.assertStatus(200)
    assert.includeMembers(setCookies(page), ['plinth-session', 'XSRF-TOKEN'])
    assert.equal(page.header('x-frame-options'), 'DENY')
    // a form post without the CSRF token is still refused
    const refused = await client.post('/login').json({ email: owner.email }).redirects(0)
    refused.assertStatus(302)
    assert.property(refused.flashMessages().errorsBag, 'E_BAD_CSRF_TOKEN')
  })
})
