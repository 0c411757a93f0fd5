/**
 * Inspection and control of the ACS data plane:
 *   GET /admin/acs                     each ACS topic's connection string (and senders)
 *   GET /admin/acs/{topic}/outbox      what the app sent through that resource, with the report events it produced
 *   GET|PUT|DELETE /admin/acs/outcomes outcome rules tried before the config's acs.outcomes (scenarios use them)
 */
import type { FastifyInstance } from 'fastify'
import { ajvToProblems } from '../../config/ajv-problems.js'
import { loadValidators } from '../../config/load-validators.js'
import { CHANNELS, outcomeRuleProblems, type OutcomeRule } from '../../domain/acs-messaging/index.js'
import { formatPath } from '../../domain/problems.js'
import type { Emulator } from '../../emulator.js'
import { badRequest, topicNotFound } from '../../errors.js'

export async function acsAdminRoutes (app: FastifyInstance, opts: { emulator: Emulator }): Promise<void> {
  const { emulator } = opts
  const acsTopics = (): string[] => [...emulator.topics.values()].filter((t) => t.isSystem).map((t) => t.name)

  app.get('/admin/acs', async () => ({
    value: acsTopics().map((name) => ({
      topic: name,
      connectionString: emulator.acs.connectionString(name, emulator.url),
      senders: emulator.acs.senders(name) ?? null
    }))
  }))

  app.get<{ Params: { topic: string }, Querystring: { channel?: string } }>('/admin/acs/:topic/outbox', async (request) => {
    const topic = emulator.topic(request.params.topic)
    if (topic === undefined || !topic.isSystem) {
      if (topic === undefined) throw topicNotFound(request.params.topic, [...emulator.topics.keys()])
      throw badRequest(`Topic '${topic.name}' is not an ACS system topic, so it has no outbox. ACS topics: ${acsTopics().join(', ') || '(none)'}.`, 'NotAnAcsTopic')
    }
    const { channel } = request.query
    if (channel !== undefined && !(CHANNELS as readonly string[]).includes(channel)) {
      throw badRequest(`channel '${channel}' is not known. Allowed values: ${CHANNELS.join(', ')}.`, 'InvalidQueryParameter')
    }
    return { value: emulator.acs.list(topic.name).filter((e) => channel === undefined || e.channel === channel) }
  })

  app.get('/admin/acs/outcomes', async () => ({ rules: emulator.acs.overrideRules, config: emulator.config.acs.outcomes ?? [] }))

  app.put('/admin/acs/outcomes', async (request) => {
    const body = request.body
    const { validateAcsOutcomeRulesBody: validateRules } = await loadValidators()
    const problems = validateRules(body) ? outcomeRuleProblems((body as { rules: OutcomeRule[] }).rules).map((p) => ({ ...p, path: ['rules', ...p.path] })) : ajvToProblems(validateRules.errors, body)
    if (problems.length > 0) {
      throw badRequest(`Invalid outcome rules:\n${problems.map((p) => `${formatPath(p.path) || '(body)'}: ${p.message}`).join('\n')}`, 'InvalidOutcomeRules')
    }
    emulator.acs.setOverrides((body as { rules: OutcomeRule[] }).rules)
    return { rules: emulator.acs.overrideRules }
  })

  app.delete('/admin/acs/outcomes', async (_request, reply) => {
    emulator.acs.setOverrides([])
    return reply.status(204).send()
  })
}
