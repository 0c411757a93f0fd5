/**
 * Synthetic Azure Communication Services events: every Microsoft.Communication.* type of the catalog
 * (data/acs-events.json), fresh and internally consistent on each call, with overrides,
 * sequences, the 2020 preview shapes and the /simulate body. Pure: randomness and time come from the
 * GenerateContext.
 */
export type { AcsEventTypeInfo } from './aliases.js'
export { listAcsEventTypes, resolveAcsEventType } from './aliases.js'
export { AcsInputError } from './errors.js'
export type { AcsProfile, GenerateContext, GenerateOptions } from './generate.js'
export { ACS_PROFILES, generateAcsEvent } from './generate.js'
export type { SequenceInfo } from './sequences.js'
export { generateAcsSequence, listAcsSequences } from './sequences.js'
export { buildSimulatedEvents } from './simulate.js'
export { acsTopicId, isAcsResourceId } from './topic.js'
