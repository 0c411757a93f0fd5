/**
 * The emulator's modules as a benchmark loads them: compiled (dist/) when the runner has just built it
 * (BENCH_EMULATOR_FROM=dist), else the TypeScript sources through tsx (`--no-build`). Users run the compiled code;
 * under tsx, esbuild's keepNames adds a call per closure created, which a hot path pays per event.
 */
import type * as Index from '../../src/index.js'
import type * as LoadConfig from '../../src/config/load-config.js'

export async function emulatorModules (): Promise<{ parseConfig: typeof LoadConfig.parseConfig, startEmulator: typeof Index.startEmulator }> {
  const fromDist = process.env.BENCH_EMULATOR_FROM === 'dist'
  const [config, index] = fromDist
    ? await Promise.all([import('../../dist/config/load-config.js' as string) as Promise<typeof LoadConfig>, import('../../dist/index.js' as string) as Promise<typeof Index>])
    : await Promise.all([import('../../src/config/load-config.js'), import('../../src/index.js')])
  return { parseConfig: config.parseConfig, startEmulator: index.startEmulator }
}
