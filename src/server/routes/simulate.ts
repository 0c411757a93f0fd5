/** `POST /topics/{topic}/simulate` — generate synthetic ACS events on an ACS system topic. */
import type { FastifyInstance } from 'fastify'
import type { AcsProfile } from '../../domain/acs/index.js'
import type { Emulator } from '../../emulator.js'
import { badRequest } from '../../errors.js'

export async function simulateRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  app.post<{ Params: { topic: string }, Querystring: { allowUnknown?: string, profile?: string } }>('/topics/:topic/simulate', async (request) => {
    const topic = emulator.requireTopic(request.params.topic)
    const { profile, allowUnknown } = request.query
    if (profile !== undefined && profile !== 'current' && profile !== '2020-preview') {
      throw badRequest(`profile '${profile}' is not known. Allowed values: current, 2020-preview.`, 'InvalidQueryParameter')
    }
    const events = emulator.simulate(topic, request.body, { allowUnknown: allowUnknown === 'true' || allowUnknown === '', profile: profile as AcsProfile | undefined })
    await emulator.durable()
    return { events }
  })
}
