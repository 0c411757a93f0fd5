/**
 * `GET /admin/tls-cert` — the PEM of the self-signed certificate the emulator serves with `--tls auto`, so a client
 * can trust it (`curl -k https://localhost:4000/admin/tls-cert > eg.pem; NODE_EXTRA_CA_CERTS=eg.pem node app.js`).
 * 404 (Event Grid error body) when the emulator runs plain HTTP or with its own --tls-cert.
 */
import type { FastifyInstance } from 'fastify'
import { notFound } from '../../errors.js'

export async function tlsRoutes (app: FastifyInstance, opts: { pem?: string }): Promise<void> {
  app.get('/admin/tls-cert', async (_request, reply) => {
    if (opts.pem === undefined) {
      throw notFound('No self-signed certificate: the emulator was not started with --tls auto (EVENTGRID_EMULATOR_TLS=auto).')
    }
    return await reply
      .type('application/x-pem-file')
      .header('content-disposition', 'inline; filename="eventgrid-emulator-cert.pem"')
      .send(opts.pem)
  })
}
