/**
 * Test helpers: an app built around an Emulator for `inject` (never listens), and a started emulator on port 0.
 */
import type { Test } from 'tap'
import { systemClock } from '../../src/adapters/system-clock.js'
import { createUndiciTransport } from '../../src/adapters/undici-transport.js'
import { parseConfig } from '../../src/config/load-config.js'
import { composeEmulator } from '../../src/compose.js'
import type { Emulator } from '../../src/emulator.js'
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/index.js'
import { buildApp } from '../../src/server/build-app.js'

export function config (yaml: string, env: Record<string, string> = {}): ReturnType<typeof parseConfig> {
  return parseConfig(yaml, 'test.yaml', env)
}

export async function buildTestApp (t: Test, yaml: string): Promise<{ app: ReturnType<typeof buildApp>, emulator: Emulator }> {
  const emulator = composeEmulator(config(yaml), { clock: systemClock, transport: createUndiciTransport() })
  const app = buildApp(emulator)
  await app.ready()
  t.teardown(async () => { await app.close(); await emulator.close(0) })
  return { app, emulator }
}

export async function startTestEmulator (t: Test, yaml: string | undefined, options: Omit<StartOptions, 'config'> = {}): Promise<RunningEmulator> {
  const eg = await startEmulator({ port: 0, ...options, ...(yaml !== undefined ? { config: config(yaml) } : {}) })
  t.teardown(async () => { await eg.close() })
  return eg
}

export function egEvent (overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `id-${Math.random().toString(36).slice(2)}`,
    subject: '/orders/1',
    eventType: 'Contoso.Orders.Created',
    eventTime: '2024-05-01T12:00:00Z',
    data: { orderId: 1 },
    dataVersion: '1.0',
    ...overrides
  }
}
