/**
 * A pull worker for an Event Grid namespace, written exactly as for Azure with @azure/eventgrid-namespaces:
 * receive a batch, process each order, acknowledge it (after publishing a Contoso.Orders.Processed result)
 * or reject it when it cannot be processed (Event Grid dead-letters rejected events).
 *
 *   NAMESPACE_ENDPOINT=http://127.0.0.1:4000/namespaces/shop node --import tsx samples/namespace-worker/worker.ts
 */
import { AzureKeyCredential, EventGridReceiverClient, EventGridSenderClient } from '@azure/eventgrid-namespaces'

export interface Worker { processed: number, rejected: number, stop: () => Promise<void> }

interface Order { orderId?: number, quantity?: number }

export function startWorker (endpoint: string, key = process.env.NAMESPACE_KEY ?? 'local-dev-key'): Worker {
  const credential = new AzureKeyCredential(key)
  // The emulator speaks plain http on loopback; against Azure, drop this option.
  const options = { allowInsecureConnection: endpoint.startsWith('http://') }
  const receiver = new EventGridReceiverClient(endpoint, credential, 'orders', 'worker', options)
  const results = new EventGridSenderClient(endpoint, credential, 'order-results', options)
  const abort = new AbortController()
  const worker: Worker = { processed: 0, rejected: 0, stop: async () => { abort.abort(); await loop.catch(() => {}) } }

  const loop = (async () => {
    while (!abort.signal.aborted) {
      const { details } = await receiver.receiveEvents({ maxEvents: 10, maxWaitTime: 10, abortSignal: abort.signal })
      const ack: string[] = []
      const reject: string[] = []
      for (const { event, brokerProperties } of details) {
        const order = event.data as Order
        if (typeof order?.orderId !== 'number' || typeof order.quantity !== 'number' || order.quantity <= 0) {
          reject.push(brokerProperties.lockToken)
          continue
        }
        await results.sendEvents({ type: 'Contoso.Orders.Processed', source: '/workers/orders', id: `processed-${order.orderId}`, data: { orderId: order.orderId, total: order.quantity * 10 } })
        ack.push(brokerProperties.lockToken)
      }
      if (ack.length > 0) { await receiver.acknowledgeEvents(ack); worker.processed += ack.length }
      if (reject.length > 0) { await receiver.rejectEvents(reject); worker.rejected += reject.length }
    }
  })()
  return worker
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const endpoint = process.env.NAMESPACE_ENDPOINT ?? 'http://127.0.0.1:4000/namespaces/shop'
  const worker = startWorker(endpoint)
  console.log(`worker pulling from ${endpoint} (topic orders, subscription worker); Ctrl+C to stop`)
  process.once('SIGINT', () => { void worker.stop().then(() => { console.log(`processed ${worker.processed}, rejected ${worker.rejected}`) }) })
}
