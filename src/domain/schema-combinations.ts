/**
 * Which delivery schemas a topic's input schema can be converted to (reference §2.3, docs 2023+).
 * CloudEvents → Event Grid is refused because extension attributes have no place in the Event Grid envelope.
 */
import type { DeliverySchema, InputSchema } from './events.js'

const ALLOWED: Record<InputSchema, readonly DeliverySchema[]> = {
  EventGridSchema: ['EventGridSchema', 'CloudEventSchemaV1_0'],
  CloudEventSchemaV1_0: ['CloudEventSchemaV1_0'],
  CustomEventSchema: ['EventGridSchema', 'CloudEventSchemaV1_0', 'CustomInputSchema']
}

export function isAllowedCombination (input: InputSchema, delivery: DeliverySchema): boolean {
  return ALLOWED[input].includes(delivery)
}
