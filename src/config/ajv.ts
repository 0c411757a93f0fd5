/**
 * The ajv instance for config and subscription bodies: all errors at once (a local file, not a DoS surface),
 * `verbose` so messages can list the allowed keys, and date-time formats.
 */
import { Ajv } from 'ajv'
import formatsPlugin from 'ajv-formats'

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv
const addFormats = ((formatsPlugin as unknown as { default?: AddFormats }).default ?? formatsPlugin) as unknown as AddFormats

export const ajv = new Ajv({ allErrors: true, verbose: true, strict: false })
addFormats(ajv, ['date-time'])
