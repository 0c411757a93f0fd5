/**
 * Config rules for the ACS data plane: `topics.{t}.acsAccessKey` / `acsSenders` (system topics only; keys
 * base64 and unique, since the key that signed a request picks the topic) and `acs.outcomes`.
 */
import { defaultAcsAccessKey, outcomeRuleProblems, type OutcomeRule } from '../domain/acs-messaging/index.js'
import type { Problem } from '../domain/problems.js'

interface RawTopic { topicType?: string, acsAccessKey?: string, acsSenders?: string[] }

export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function acsKeyProblems (config: { topics?: Record<string, RawTopic>, acs?: { outcomes?: OutcomeRule[] } }): Problem[] {
  const problems: Problem[] = []
  const owners = new Map<string, string>()
  for (const [name, topic] of Object.entries(config.topics ?? {})) {
    const isSystem = topic.topicType !== undefined
    for (const key of ['acsAccessKey', 'acsSenders'] as const) {
      if (topic[key] !== undefined && !isSystem) problems.push({ path: ['topics', name, key], message: `'${key}' is only for ACS system topics (add topicType: Microsoft.Communication.CommunicationServices)` })
    }
    if (!isSystem) continue
    const key = topic.acsAccessKey
    if (key !== undefined && !BASE64.test(key)) {
      problems.push({ path: ['topics', name, 'acsAccessKey'], message: `acsAccessKey must be base64 (ACS keys are, and the SDKs base64-decode them to sign), got '${key.length > 12 ? `${key.slice(0, 12)}…` : key}'` })
      continue
    }
    const effective = key ?? defaultAcsAccessKey(name)
    const other = owners.get(effective)
    if (other !== undefined) {
      problems.push({ path: ['topics', name, ...(key !== undefined ? ['acsAccessKey'] : [])], message: `acsAccessKey is the same as topic '${other}''s; each ACS topic needs its own key, because the key that signed a request selects the topic` })
    }
    owners.set(effective, name)
  }
  const outcomes = config.acs?.outcomes ?? []
  for (const p of outcomeRuleProblems(outcomes)) problems.push({ path: ['acs', 'outcomes', ...p.path], message: p.message })
  return problems
}
