/**
 * The effective config for a start: the file, object or built-in default, with the start options (host, port,
 * time scale, data dir) applied.
 */
import { resolve } from 'node:path'
import { builtInConfig } from './default-config.js'
import { DEFAULT_DEAD_LETTER_DIR } from './schema.js'
import type { EmulatorConfig } from './types.js'

export interface ConfigSource {
  /** A config object, a path to a YAML file, or nothing for the built-in default. */
  config?: EmulatorConfig | string
  env?: Record<string, string | undefined>
  host?: string
  port?: number
  timeScale?: number
  dataDir?: string
}

export async function resolveConfig (options: ConfigSource): Promise<EmulatorConfig> {
  const env = options.env ?? process.env
  // The loader (YAML parser, validators) is imported only for a file: the built-in default is a checked constant.
  const base = typeof options.config === 'string'
    ? await (await import('./load-config.js')).loadConfigFile(options.config, env)
    : options.config ?? builtInConfig()
  const dataDir = options.dataDir ?? base.server.dataDir
  return {
    ...base,
    server: { ...base.server, host: options.host ?? base.server.host, port: options.port ?? base.server.port, ...(dataDir !== undefined ? { dataDir } : {}) },
    delivery: {
      ...base.delivery,
      timeScale: options.timeScale ?? base.delivery.timeScale,
      deadLetterDir: deadLetterRoot(base.delivery.deadLetterDir, dataDir)
    }
  }
}

/**
 * Where dead-letter containers live. The directory plays the storage account and each container is a folder in
 * it; under a data dir that is `DATA_DIR/blobs` unless deadLetterDir is set, so a container named
 * `dead-letters` does not read `dead-letters/dead-letters/…`.
 */
function deadLetterRoot (configured: string, dataDir: string | undefined): string {
  if (dataDir === undefined) return configured
  return resolve(dataDir, configured === DEFAULT_DEAD_LETTER_DIR ? 'blobs' : configured)
}
