/**
 * `serve --fresh` and EVENTGRID_EMULATOR_FRESH: parsed like the other boolean options, refused with what to do
 * when there is no data dir whose journal it could discard.
 */
import t from 'tap'
import { serve, serveSettingsFromArgs } from '../../src/cli/commands/serve.js'

t.test('--fresh and EVENTGRID_EMULATOR_FRESH', async (t) => {
  t.equal(serveSettingsFromArgs(['--data-dir', 'd'], {}).options.fresh, undefined, 'off by default')
  t.equal(serveSettingsFromArgs(['--data-dir', 'd', '--fresh'], {}).options.fresh, true)
  t.equal(serveSettingsFromArgs([], { EVENTGRID_EMULATOR_DATA_DIR: '/data', EVENTGRID_EMULATOR_FRESH: '1' }).options.fresh, true)
  t.equal(serveSettingsFromArgs([], { EVENTGRID_EMULATOR_FRESH: '' }).options.fresh, undefined, 'an empty variable counts as unset (the image declares it empty)')
  t.equal(serveSettingsFromArgs([], { EVENTGRID_EMULATOR_FRESH: 'false' }).options.fresh, undefined)
  t.throws(() => serveSettingsFromArgs([], { EVENTGRID_EMULATOR_FRESH: 'yes' }), { message: "EVENTGRID_EMULATOR_FRESH must be 1 or true (discard the journal) or 0 or false, got 'yes'." })
  t.throws(() => serveSettingsFromArgs(['--fresh=1'], {}), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' })
})

t.test('serve --fresh without a data dir exits 1 and says what is missing', async (t) => {
  const io = { out: '', err: '', env: {}, stdout: (s: string) => { io.out += s }, stderr: (s: string) => { io.err += s } }
  const code = await serve(['--fresh', '--port', '0'], io)
  t.equal(code, 1)
  t.equal(io.err, 'eventgrid-emulator: cannot start: --fresh discards the journal of a data dir, and none is set: give --data-dir DIR (EVENTGRID_EMULATOR_DATA_DIR) or server.dataDir too.\n')
})
