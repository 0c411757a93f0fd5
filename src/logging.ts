/**
 * The emulator's one logger. The composition root (index.ts) creates a single pino instance and hands it to
 * Fastify (`loggerInstance`) and to the Emulator, so every line — HTTP, delivery, lifecycle — goes through the
 * same level, redaction and destination.
 *
 * Keys and SAS signatures never reach a log line: publishers may put them in the query string
 * (`?aeg-sas-key=…`), and Event Grid echoes a bad SAS token in its error message.
 */
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino'

export type { Logger }

export interface LogSettings {
  /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
  level?: string
  /** Human-readable lines (pino-pretty) instead of JSON lines; for a terminal. */
  pretty?: boolean
  /** Where JSON lines go (default stdout); tests pass a stream to read them. */
  stream?: DestinationStream
}

/** What `startEmulator({ logger })` accepts: nothing/false (silent), settings, or a pino logger of your own. */
export type LoggerOption = boolean | LogSettings | Logger | undefined

const SECRET_PARAMS = /([?&;\s](?:aeg-sas-key|aeg-sas-token|sig|s|code)=)[^&;\s'"]+/gi

/** Replaces the values of secret-bearing parameters (keys, SAS tokens and signatures) with `***`. */
export function redactSecrets (text: string): string {
  // The leading separator is part of the match, so a value at the very start gets one to match against.
  return ` ${text}`.replace(SECRET_PARAMS, '$1***').slice(1)
}

/** Fastify's request serializer, with the URL's secrets redacted. */
function requestSerializer (req: { method?: string, url?: string, host?: string, ip?: string, socket?: { remotePort?: number } }): Record<string, unknown> {
  return { method: req.method, url: redactSecrets(req.url ?? ''), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }
}

export function createLogger (option: LoggerOption = false): Logger {
  if (isLogger(option)) return option
  const settings: LogSettings = option === true ? {} : option === false ? { level: 'silent' } : option
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    serializers: { req: requestSerializer },
    ...(settings.pretty === true && settings.stream === undefined
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } }
      : {})
  }
  return settings.stream !== undefined ? pino(options, settings.stream) : pino(options)
}

function isLogger (option: LoggerOption): option is Logger {
  return typeof option === 'object' && typeof (option as Partial<Logger>).child === 'function' && typeof (option as Partial<Logger>).info === 'function'
}
