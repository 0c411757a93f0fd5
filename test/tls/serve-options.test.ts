/**
 * `serve` options for HTTPS and containers: --tls / --tls-cert / --tls-key and their environment variables, their
 * usage errors, clear errors for unusable certificate files, and EVENTGRID_EMULATOR_CONFIG_OPTIONAL (the Docker
 * image's "/config/config.yaml if mounted, else the built-in default").
 */
import { writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import t from 'tap'
import { serve, serveSettingsFromArgs } from '../../src/cli/commands/serve.js'
import type { CliIo } from '../../src/cli/io.js'
import { UsageError } from '../../src/cli/options.js'
import { createSelfSignedCertificate } from '../../src/tls/x509.js'

function fakeIo (env: Record<string, string | undefined> = {}): CliIo & { out: string, err: string } {
  const io = { out: '', err: '', env, stdout: (s: string) => { io.out += s }, stderr: (s: string) => { io.err += s } }
  return io
}

const settings = (argv: string[], env: Record<string, string | undefined> = {}): ReturnType<typeof serveSettingsFromArgs> => serveSettingsFromArgs(argv, env)

t.test('--tls auto, --tls-cert/--tls-key, and the environment equivalents', async (t) => {
  t.equal(settings([]).options.tls, undefined, 'plain HTTP by default')
  t.equal(settings(['--tls', 'auto']).options.tls, 'auto')
  t.equal(settings([], { EVENTGRID_EMULATOR_TLS: 'auto' }).options.tls, 'auto')
  t.equal(settings(['--tls', 'off'], { EVENTGRID_EMULATOR_TLS: 'auto' }).options.tls, undefined, 'a flag wins over the environment')
  t.equal(settings([], { EVENTGRID_EMULATOR_TLS: '', EVENTGRID_EMULATOR_TLS_CERT: '', EVENTGRID_EMULATOR_TLS_KEY: '' }).options.tls, undefined, 'empty variables are unset (the image declares them empty)')
  t.same(settings(['--tls-cert', 'c.pem', '--tls-key', 'k.pem']).options.tls, { certFile: 'c.pem', keyFile: 'k.pem' })
  t.same(settings([], { EVENTGRID_EMULATOR_TLS_CERT: '/config/c.pem', EVENTGRID_EMULATOR_TLS_KEY: '/config/k.pem' }).options.tls, { certFile: '/config/c.pem', keyFile: '/config/k.pem' })
  t.same(settings(['--tls-cert', 'mine.pem'], { EVENTGRID_EMULATOR_TLS_CERT: 'env.pem', EVENTGRID_EMULATOR_TLS_KEY: 'k.pem' }).options.tls, { certFile: 'mine.pem', keyFile: 'k.pem' })
})

t.test('contradicting or incomplete TLS options are usage errors (exit 2) that say what to do', async (t) => {
  const cases: Array<[string[], Record<string, string>, RegExp]> = [
    [['--tls', 'yes'], {}, /--tls must be 'auto' or 'off' \(EVENTGRID_EMULATOR_TLS\), got 'yes'/],
    [[], { EVENTGRID_EMULATOR_TLS: 'on' }, /got 'on'/],
    [['--tls', 'auto', '--tls-cert', 'c.pem'], {}, /--tls auto generates its own certificate: leave out --tls-cert\/--tls-key/],
    [['--tls', 'auto'], { EVENTGRID_EMULATOR_TLS_KEY: 'k.pem' }, /leave out --tls-cert\/--tls-key/],
    [['--tls-cert', 'c.pem'], {}, /--tls-cert needs --tls-key FILE \(EVENTGRID_EMULATOR_TLS_KEY\)/],
    [['--tls-key', 'k.pem'], {}, /--tls-key needs --tls-cert FILE \(EVENTGRID_EMULATOR_TLS_CERT\)/],
    [['--tls', 'off', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}, /--tls off contradicts/]
  ]
  for (const [argv, env, message] of cases) {
    t.throws(() => settings(argv, env), UsageError, argv.join(' ') || JSON.stringify(env))
    t.throws(() => settings(argv, env), { message })
    const io = fakeIo(env)
    t.equal(await serve(argv, io), 2)
    t.match(io.err, message)
    t.match(io.err, /Usage: eventgrid-emulator serve/)
  }
})

t.test('certificate files that cannot be used: exit 1 with the option, the file and the reason', async (t) => {
  const dir = t.testdir({ 'not-pem.txt': 'hello', 'a-dir': {} })
  const a = createSelfSignedCertificate({ commonName: 'a', dnsNames: ['localhost'], ipAddresses: [], validityDays: 1 })
  const b = createSelfSignedCertificate({ commonName: 'b', dnsNames: ['localhost'], ipAddresses: [], validityDays: 1 })
  await writeFile(join(dir, 'a.pem'), a.cert)
  await writeFile(join(dir, 'a.key'), a.key)
  await writeFile(join(dir, 'b.key'), b.key)
  const p = (name: string): string => join(dir, name)
  const cases: Array<[string, string, RegExp | string]> = [
    [p('missing.pem'), p('a.key'), `eventgrid-emulator: cannot start: --tls-cert: cannot read the certificate file ${p('missing.pem')}: no such file.`],
    [p('a.pem'), p('missing.key'), `--tls-key: cannot read the private key file ${p('missing.key')}: no such file.`],
    [p('a-dir'), p('a.key'), `--tls-cert: cannot read the certificate file ${p('a-dir')}: it is a directory.`],
    [p('not-pem.txt'), p('a.key'), `--tls-cert: ${p('not-pem.txt')} is not a PEM certificate (expected "-----BEGIN CERTIFICATE-----")`],
    [p('a.pem'), p('a.pem'), `--tls-key: ${p('a.pem')} is not an unencrypted PEM private key`],
    [p('a.pem'), p('b.key'), `--tls-key: the key in ${p('b.key')} does not belong to the certificate in ${p('a.pem')} (CN=a).`]
  ]
  for (const [cert, key, message] of cases) {
    const io = fakeIo()
    t.equal(await serve(['--port', '0', '--tls-cert', cert, '--tls-key', key], io), 1, `${cert} + ${key}`)
    t.match(io.err, message)
    t.equal(io.out, '', 'nothing started')
  }
  // Relative paths are reported absolute, so the user sees where the emulator looked.
  const io = fakeIo({ EVENTGRID_EMULATOR_TLS_CERT: 'nope/cert.pem', EVENTGRID_EMULATOR_TLS_KEY: 'nope/key.pem' })
  t.equal(await serve(['--port', '0'], io), 1)
  t.match(io.err, `--tls-cert: cannot read the certificate file ${resolve('nope/cert.pem')}: no such file.`)
})

t.test('EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1: a missing EVENTGRID_EMULATOR_CONFIG file means the built-in default', async (t) => {
  const dir = t.testdir({ 'config.yaml': 'topics: {}\n' })
  const missing = join(dir, 'absent.yaml')
  const optional = settings([], { EVENTGRID_EMULATOR_CONFIG: missing, EVENTGRID_EMULATOR_CONFIG_OPTIONAL: '1' })
  t.equal(optional.options.config, undefined, 'built-in default')
  t.same(optional.notes, [`no config file at ${missing} (EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1): using the built-in default config`])

  const present = settings([], { EVENTGRID_EMULATOR_CONFIG: join(dir, 'config.yaml'), EVENTGRID_EMULATOR_CONFIG_OPTIONAL: '1' })
  t.equal(present.options.config, join(dir, 'config.yaml'), 'a mounted file is used')
  t.same(present.notes, [])

  t.equal(settings([], { EVENTGRID_EMULATOR_CONFIG: missing }).options.config, missing, 'without the switch a missing file stays an error')
  t.equal(settings([], { EVENTGRID_EMULATOR_CONFIG: missing, EVENTGRID_EMULATOR_CONFIG_OPTIONAL: '0' }).options.config, missing)
  t.equal(settings(['--config', missing], { EVENTGRID_EMULATOR_CONFIG_OPTIONAL: '1' }).options.config, missing, '--config on the command line must exist')

  const io = fakeIo({ EVENTGRID_EMULATOR_CONFIG: missing })
  t.equal(await serve(['--port', '0'], io), 1, 'a missing config without the switch fails the start')
  t.match(io.err, 'absent.yaml')
})

t.test('--help documents the TLS options and their variables', async (t) => {
  const io = fakeIo()
  t.equal(await serve(['--help'], io), 0)
  for (const text of ['--tls auto', 'EVENTGRID_EMULATOR_TLS]', '--tls-cert FILE', 'EVENTGRID_EMULATOR_TLS_CERT', '--tls-key FILE', 'EVENTGRID_EMULATOR_TLS_KEY', 'EVENTGRID_EMULATOR_CONFIG_OPTIONAL=1', '/admin/tls-cert']) {
    t.ok(io.out.includes(text), text)
  }
})
