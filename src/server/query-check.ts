/**
 * Query-string checks for the inspection API: an unknown parameter or a status that cannot match anything is a
 * mistake the caller would otherwise never see (the answer would just be an empty or unfiltered list).
 */
import { didYouMean } from '../domain/problems.js'
import { badRequest } from '../errors.js'

export const DELIVERY_OUTCOMES = ['Delivered', 'Failed', 'DeadLettered', 'Dropped', 'NotMatched', 'Waiting'] as const

/** Throws 400 `InvalidQueryParameter` for a parameter that is not in `allowed`. */
export function checkQueryNames (query: Record<string, unknown>, allowed: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (allowed.includes(name)) continue
    throw badRequest(`Unknown query parameter '${name}'.${didYouMean(name, allowed)} Allowed parameters: ${allowed.join(', ')}.`, 'InvalidQueryParameter')
  }
}

/** `status` is an outcome name (any case) or an HTTP status code. */
export function checkDeliveryStatus (status: string | undefined): void {
  if (status === undefined || /^[1-5]\d\d$/.test(status)) return
  if (DELIVERY_OUTCOMES.some((o) => o.toLowerCase() === status.toLowerCase())) return
  throw badRequest(`status '${status}' is not an outcome or an HTTP status code.${didYouMean(status, DELIVERY_OUTCOMES)} Allowed: ${DELIVERY_OUTCOMES.join(', ')}, or a status code such as 500.`, 'InvalidQueryParameter')
}
