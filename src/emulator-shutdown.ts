/**
 * The core's shutdown sequence (Emulator.close): the order matters, so it is written once, here.
 */
import type { AcsMessaging } from './acs/messaging.js'
import type { DeliveryEngine, ShutdownSummary } from './delivery/engine.js'
import type { Transport } from './delivery/ports.js'
import type { SubscriptionRuntime } from './delivery/subscription.js'
import type { DurableStore } from './durable/durable-store.js'
import type { NamespaceBroker } from './namespaces/broker.js'

export interface ShutdownParts {
  graceMs: number
  transport: Transport
  durable: DurableStore | undefined
  acs: AcsMessaging
  namespaces: NamespaceBroker
  engine: DeliveryEngine
  subscriptions: SubscriptionRuntime[]
}

/**
 * Refuses new work, records what was not sent, lets in-flight deliveries finish within the grace, then cuts them;
 * resolves when every accepted event has its final record and the journal is closed.
 */
export async function shutDownCore (parts: ShutdownParts): Promise<ShutdownSummary> {
  const { graceMs, transport, durable } = parts
  // Durable mode: what is still pending stays in the journal for the next start instead of being dropped.
  durable?.beginShutdown()
  parts.acs.close()
  await parts.namespaces.close()
  const summary = await parts.engine.close(graceMs, parts.subscriptions, async () => { await transport.destroy() })
  // The graces below bound real sockets, so they run on real time whatever clock drives the deliveries.
  // Namespace push attempts still running get the same grace period, then their connections are cut.
  const cut = setTimeout(() => { void transport.destroy() }, graceMs)
  await parts.namespaces.idle()
  clearTimeout(cut)
  // A handshake still in flight would hold transport.close() until its response timeout (30 s): the grace bounds it.
  let stop: NodeJS.Timeout | undefined
  const graceOver = new Promise<void>((resolve) => { stop = setTimeout(resolve, graceMs) })
  // close() may reject once destroy() cut it: that is the expected end, not an error to surface.
  await Promise.race([transport.close().catch(() => {}), graceOver.then(async () => { await transport.destroy() })])
  clearTimeout(stop)
  await durable?.close()
  return durable !== undefined ? { ...summary, keptInJournal: true } : summary
}
