/**
 * `POST /admin/reload`: re-reads the config file the emulator was started with and applies what changed, as
 * `serve --watch` does on a file change. A broken file answers 400 with every problem as `file:line:col` and
 * leaves the config in effect running.
 */
import type { FastifyInstance } from 'fastify'
import { EmulatorError } from '../../errors.js'
import { diffToJson } from '../../reload/config-diff.js'
import type { ReloadResult } from '../../reload/reloader.js'

export async function adminReloadRoutes (app: FastifyInstance, opts: { reload?: () => Promise<ReloadResult> }): Promise<void> {
  app.post('/admin/reload', async (_request, reply) => {
    if (opts.reload === undefined) {
      throw new EmulatorError('Conflict', 409, 'ReloadUnavailable', 'This emulator was not started from a config file (--config FILE or EVENTGRID_EMULATOR_CONFIG), so there is nothing to reload.')
    }
    const result = await opts.reload()
    if (!result.ok) {
      const problems = result.problems?.map((p) => `${p.file}:${p.line}:${p.col} ${p.message}`) ?? [result.error]
      return await reply.status(400).send({
        error: {
          code: 'BadRequest',
          message: `The config file ${result.file} was not applied, the previous config keeps running:\n${problems.join('\n')}`,
          details: problems.map((message) => ({ code: 'InvalidConfig', message }))
        }
      })
    }
    return { file: result.file, summary: result.summary, changes: diffToJson(result.diff) }
  })
}
