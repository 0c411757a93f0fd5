/**
 * The extra listeners of topics, domains and namespaces with their own `port:`. `sync` opens and closes them to
 * match the config in effect (at start and after each reload).
 */
import type { FastifyInstance } from 'fastify'
import type { EmulatorConfig } from '../config/types.js'
import type { Emulator } from '../emulator.js'
import type { Logger } from '../logging.js'
import { buildDomainApp, buildNamespaceApp, buildTopicApp, type BuildAppOptions } from '../server/build-app.js'

export interface PortAppOptions { logger: Logger, https: BuildAppOptions['https'], timeouts: BuildAppOptions['timeouts'] }

export class PortApps {
  private readonly apps = new Map<string, { port: number, app: FastifyInstance }>()

  /** Namespaces as configured at start: a reload does not change them (it reports that they need a restart). */
  private readonly namespaces: NonNullable<EmulatorConfig['namespaces']>

  constructor (private readonly emulator: Emulator, private readonly host: string, private readonly options: PortAppOptions) {
    this.namespaces = emulator.config.namespaces ?? {}
  }

  /** The listeners now open (for shutdown). */
  list (): FastifyInstance[] { return [...this.apps.values()].map((a) => a.app) }

  /** Forgets the listeners after shutDown closed them. */
  forget (): void { this.apps.clear() }

  async sync (): Promise<void> {
    const wanted = new Map<string, { port: number, build: () => FastifyInstance }>()
    for (const t of this.emulator.topics.values()) {
      if (t.config.port !== undefined) wanted.set(`topic:${t.name}`, { port: t.config.port, build: () => buildTopicApp(this.emulator, t.name, { ...this.options, logger: this.options.logger.child({ topic: t.name }) }) })
    }
    for (const d of this.emulator.domains.values()) {
      if (d.config.port !== undefined) wanted.set(`domain:${d.name}`, { port: d.config.port, build: () => buildDomainApp(this.emulator, d.name, { ...this.options, logger: this.options.logger.child({ domain: d.name }) }) })
    }
    for (const [name, ns] of Object.entries(this.namespaces)) {
      if (ns.port !== undefined) wanted.set(`namespace:${name}`, { port: ns.port, build: () => buildNamespaceApp(this.emulator, name, { ...this.options, logger: this.options.logger.child({ namespace: name }) }) })
    }
    for (const [key, { port, app }] of this.apps) {
      if (wanted.get(key)?.port !== port) { this.apps.delete(key); await app.close() }
    }
    // A port that cannot be opened does not keep the others shut: the first failure is thrown once all were tried.
    let failure: unknown
    for (const [key, { port, build }] of wanted) {
      if (this.apps.has(key)) continue
      const app = build()
      try {
        await app.listen({ host: this.host, port })
        this.apps.set(key, { port, app })
      } catch (err) {
        await app.close()
        failure ??= err
      }
    }
    const scheme = this.options.https !== undefined ? 'https' : 'http'
    this.emulator.setPortUrls([...this.apps.values()].map(({ port }) => `${scheme}://127.0.0.1:${port}`))
    if (failure !== undefined) throw failure
  }

  async close (): Promise<void> {
    await Promise.all([...this.apps.values()].map(async ({ app }) => { await app.close() }))
    this.apps.clear()
  }
}
