import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { inspect } from 'node:util'
import { ConnectionUrl } from './connection-url.js'
import { redactSecrets } from './redact-secrets.js'
import { WebhookUrl } from './webhook-url.js'

describe('ConnectionUrl', () => {
  test('keeps the URL for connecting and shows it redacted everywhere else', () => {
    const url = ConnectionUrl.parse('postgres://app:s3cret@db.example:5432/sales')
    const redacted = 'postgres://app:***@db.example:5432/sales'
    assert.equal(url.reveal(), 'postgres://app:s3cret@db.example:5432/sales')
    assert.equal(url.redacted, redacted)
    assert.equal(String(url), redacted)
    assert.equal(`${url}`, redacted)
    assert.equal(JSON.stringify({ url }), `{"url":"${redacted}"}`)
    assert.equal(inspect({ url }), `{ url: ConnectionUrl(${redacted}) }`)
    assert.equal(url.user, 'app')
    assert.deepEqual(url.hosts, ['db.example:5432'])
    assert.equal(url.database, 'sales')
    assert.equal(url.hasPassword, true)
  })

  test('masks password parameters and keeps the others', () => {
    const url = ConnectionUrl.parse(
      'postgresql://eu.example/sales?user=app&password=hunter2&sslmode=require&sslpassword=k3y',
    )
    assert.equal(
      String(url),
      'postgresql://eu.example/sales?user=app&password=***&sslmode=require&sslpassword=***',
    )
    assert.equal(url.hasPassword, true)
    assert.equal(url.user, undefined)
  })

  test('reads the forms libpq accepts', () => {
    const noPassword = ConnectionUrl.parse('postgres://app@db.example/sales')
    assert.equal(String(noPassword), 'postgres://app@db.example/sales')
    assert.equal(noPassword.hasPassword, false)
    const socket = ConnectionUrl.parse('postgresql:///sales?host=/var/run/postgresql')
    assert.deepEqual(socket.hosts, [])
    assert.equal(socket.database, 'sales')
    const encodedSocket = ConnectionUrl.parse('postgresql://%2Fvar%2Frun%2Fpostgresql/sales')
    assert.deepEqual(encodedSocket.hosts, ['/var/run/postgresql'])
    const multiHost = ConnectionUrl.parse('postgres://u:p@h1:5432,h2:5433,[::1]:5434/db')
    assert.deepEqual(multiHost.hosts, ['h1:5432', 'h2:5433', '[::1]:5434'])
    assert.equal(String(multiHost), 'postgres://u:***@h1:5432,h2:5433,[::1]:5434/db')
    const emptyPassword = ConnectionUrl.parse('postgres://u:@h/db')
    assert.equal(String(emptyPassword), 'postgres://u:***@h/db')
  })

  test('masks the encoded and the decoded password in text', () => {
    const url = ConnectionUrl.parse('postgres://app:p%40ss%2Fw@db.example/sales')
    assert.equal(String(url), 'postgres://app:***@db.example/sales')
    const error = 'authentication failed (p@ss/w) for postgres://app:p%40ss%2Fw@db.example/sales'
    assert.equal(
      url.redact(error),
      'authentication failed (***) for postgres://app:***@db.example/sales',
    )
  })

  const invalid: [string, string][] = [
    ['', 'it is empty'],
    ['mysql://app@db/sales', 'it must start with postgres:// or postgresql://'],
    ['Postgres://app@db/sales', 'it must start with postgres:// or postgresql://'],
    ['db.example:5432/sales', 'it must start with postgres:// or postgresql://'],
    ['postgres://app@db:99999/sales', 'its port must be a number from 1 to 65535'],
    ['postgres://app@db:x/sales', 'its port must be a number from 1 to 65535'],
    ['postgres://app@db/sales\n', 'it contains whitespace'],
    ['postgres://app:%zz@db/sales', 'its password has an invalid %-escape'],
    [
      'postgres://app:pa@ss@db/sales',
      'its user name or password contains an unencoded "@" (write it as %40)',
    ],
    [
      'postgres://app:pa/ss@db/sales',
      'it has an "@" after the host: percent-encode "/", "?" and "@" in the user name and ' +
        'password (%2F, %3F, %40)',
    ],
    [
      'postgres://app:1?x@db/sales',
      'it has an "@" after the host: percent-encode "/", "?" and "@" in the user name and ' +
        'password (%2F, %3F, %40)',
    ],
  ]
  for (const [raw, reason] of invalid) {
    test(`refuses ${JSON.stringify(raw)} without repeating it`, () => {
      assert.throws(() => ConnectionUrl.parse(raw), { name: 'TypeError', message: reason })
    })
  }

  test('lists the passwords written in a URL', () => {
    assert.deepEqual(ConnectionUrl.passwordsIn('postgres://a:b@h/d?password=c'), ['b', 'c'])
    assert.deepEqual(ConnectionUrl.passwordsIn('postgres://a:${PW}@h/d'), ['${PW}'])
    assert.deepEqual(ConnectionUrl.passwordsIn('${DATABASE_URL}'), [])
  })
})

describe('WebhookUrl', () => {
  test('shows only the origin of a webhook', () => {
    const url = WebhookUrl.parse('https://hooks.example.com/services/T0/B0/XyZ')
    assert.equal(url.reveal(), 'https://hooks.example.com/services/T0/B0/XyZ')
    assert.equal(String(url), 'https://hooks.example.com/***')
    assert.equal(JSON.stringify(url), '"https://hooks.example.com/***"')
    assert.equal(inspect(url), 'WebhookUrl(https://hooks.example.com/***)')
    assert.equal(
      url.redact('POST /services/T0/B0/XyZ failed: https://hooks.example.com/services/T0/B0/XyZ'),
      'POST *** failed: https://hooks.example.com/***',
    )
    const plain = 'http://alerts.internal:8080/'
    assert.equal(String(WebhookUrl.parse(plain)), plain)
  })

  test('refuses other schemes', () => {
    assert.throws(() => WebhookUrl.parse('ftp://hooks.example/x'), {
      message: 'it must start with http:// or https://',
    })
    assert.throws(() => WebhookUrl.parse('hooks.example/x'), { message: 'it is not a valid URL' })
  })
})

describe('redactSecrets', () => {
  test('masks every known secret in arbitrary text', () => {
    const source = ConnectionUrl.parse('postgres://app:s3cret@db.example/sales')
    const webhook = WebhookUrl.parse('https://hooks.example.com/T0/XyZ')
    const text =
      'connect postgres://app:s3cret@db.example/sales failed: password "s3cret" rejected; ' +
      'token tok-123 sent to https://hooks.example.com/T0/XyZ'
    assert.equal(
      redactSecrets(text, [source, webhook, 'tok-123', '']),
      'connect postgres://app:***@db.example/sales failed: password "***" rejected; ' +
        'token *** sent to https://hooks.example.com/***',
    )
  })

  test('masks a secret that contains another one whole', () => {
    assert.equal(redactSecrets('abc abcdef', ['abc', 'abcdef']), '*** ***')
  })
})
