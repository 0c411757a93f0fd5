/**
 * Graceful shutdown of the listeners around a core. The grace is real time on purpose: it bounds real sockets
 * (slow clients, open requests), whatever clock drives the deliveries.
 */
import type { FastifyInstance } from 'fastify'
import type { Emulator } from '../emulator.js'
import type { Logger } from '../logging.js'

/**
 * Graceful shutdown bounded by `graceMs` whatever the clients do: deliveries in flight may target our own sink, so
 * they finish (or are cut at the grace) before the servers stop; then open requests get what is left of the grace
 * and slow clients are disconnected. Ends with one summary line.
 */
export async function shutDown (apps: FastifyInstance[], emulator: Emulator, graceMs: number, log: Logger): Promise<void> {
  const started = Date.now()
  const summary = await emulator.close(graceMs)
  const closing = Promise.all(apps.map(async (a) => { await a.close() }))
  let timer: NodeJS.Timeout | undefined
  const left = Math.max(0, graceMs - (Date.now() - started))
  const cut = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => { timer = setTimeout(() => { resolve(true) }, left) })])
  clearTimeout(timer)
  if (cut) {
    for (const a of apps) a.server.closeAllConnections()
    await closing
  }
  log.info({ ...summary, clientConnectionsCut: cut, graceMs, tookMs: Date.now() - started },
    summary.keptInJournal === true
      ? `shutdown: ${summary.inFlightRequests} deliveries were in flight, ${summary.droppedTotal} events not delivered stay in the journal for the next start${cut ? '; slow client connections were cut at the grace' : ''}`
      : `shutdown: ${summary.inFlightRequests} deliveries were in flight, ${summary.pendingDropped} pending events and ${summary.droppedTotal} events in all recorded as Dropped${cut ? '; slow client connections were cut at the grace' : ''}`)
}
