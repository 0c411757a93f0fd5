/**
 * The logger each request gets (`request.log`, `reply.log`). Fastify makes a pino child per request, binding its
 * `reqId`: pino serialises the bindings and re-binds every level method, a few per cent of what a publish
 * allocates, for lines that at the default level are almost never written (access lines are at debug, a refusal
 * at info). This factory hands Fastify a stand-in that makes that same child — same parent, bindings and options —
 * the first time a line is actually written, or when asked for anything but a level check.
 *
 * A route with its own log settings (level, serializers), or a parent that cannot say which levels it writes,
 * gets the child at once, as Fastify makes it.
 */
import type { FastifyBaseLogger } from 'fastify'

type Bindings = Record<string, unknown>
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
type LevelAware = FastifyBaseLogger & { isLevelEnabled: (level: string) => boolean }

/** Fastify's `childLoggerFactory` (`this` is the Fastify instance; not needed). */
export function requestLogger (logger: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  if (typeof (logger as Partial<LevelAware>).isLevelEnabled !== 'function' || hasKeys(options)) return logger.child(bindings, options)
  return new LazyChildLogger(logger as LevelAware, bindings, options) as unknown as FastifyBaseLogger
}

function hasKeys (o: object): boolean {
  // eslint-disable-next-line no-unreachable-loop -- the first key answers; Object.keys() would make an array per request
  for (const _ in o) return true
  return false
}

class LazyChildLogger {
  private made: LevelAware | undefined

  constructor (private readonly parent: LevelAware, private readonly childBindings: Bindings, private readonly options: object) {}

  /** The child Fastify would have made at once. Its level is the parent's when it is made (pino copies it then). */
  private real (): LevelAware {
    return (this.made ??= this.parent.child(this.childBindings, this.options) as LevelAware)
  }

  /** Whether a line at `level` would be written: until the child exists, it has the parent's level. */
  isLevelEnabled (level: string): boolean {
    return this.made !== undefined ? this.made.isLevelEnabled(level) : this.parent.isLevelEnabled(level)
  }

  private write (level: Level, args: unknown[]): void {
    if (this.made === undefined && !this.parent.isLevelEnabled(level)) return
    const log = this.real()
    ;(log[level] as (...a: unknown[]) => void).apply(log, args)
  }

  fatal (...args: unknown[]): void { this.write('fatal', args) }
  error (...args: unknown[]): void { this.write('error', args) }
  warn (...args: unknown[]): void { this.write('warn', args) }
  info (...args: unknown[]): void { this.write('info', args) }
  debug (...args: unknown[]): void { this.write('debug', args) }
  trace (...args: unknown[]): void { this.write('trace', args) }
  silent (): void {}

  get level (): string { return this.made !== undefined ? this.made.level : this.parent.level }
  set level (level: string) { this.real().level = level }

  child (bindings: Bindings, options?: object): FastifyBaseLogger { return this.real().child(bindings, options) }
  bindings (): Bindings { return (this.real() as unknown as { bindings: () => Bindings }).bindings() }
  flush (cb?: (err?: Error) => void): void { (this.real() as unknown as { flush: (cb?: (err?: Error) => void) => void }).flush(cb) }
}
