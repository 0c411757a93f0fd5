/** Shared set-up for namespace tests: an emulator on port 0 (optionally on a manual clock) and SDK clients pointed at it. */
import { AzureKeyCredential, EventGridReceiverClient, EventGridSenderClient } from '@azure/eventgrid-namespaces'
import type { Test } from 'tap'
import type { RunningEmulator } from '../../src/index.js'
import { startTestEmulator } from '../helpers/build.js'
import type { ManualClock } from '../helpers/manual-clock.js'

export const KEY = 'bmFtZXNwYWNlLWtleS0x' // base64 of "namespace-key-1"

export function queueYaml (opts: { dir?: string, timeScale?: number, queue?: string, filters?: string, extraSubs?: string } = {}): string {
  return `
delivery: { timeScale: ${opts.timeScale ?? 1}${opts.dir !== undefined ? `, deadLetterDir: "${opts.dir}"` : ''} }
namespaces:
  orders-ns:
    keys: [${KEY}]
    topics:
      orders:
        eventSubscriptions:
          worker:
            deliveryConfiguration:
              deliveryMode: Queue
              queue:
                receiveLockDurationInSeconds: 60
                deadLetterDestinationWithResourceIdentity:
                  deadLetterDestination: { endpointType: StorageBlob, properties: { blobContainerName: dead } }
${opts.queue ?? ''}${opts.filters ?? ''}${opts.extraSubs ?? ''}`
}

export interface NsContext {
  eg: RunningEmulator
  endpoint: string
  sender: EventGridSenderClient
  receiver: (sub?: string) => EventGridReceiverClient
}

export async function startNs (t: Test, yaml: string, clock?: ManualClock): Promise<NsContext> {
  const eg = await startTestEmulator(t, yaml, clock !== undefined ? { clock } : {})
  const endpoint = `${eg.url}/namespaces/orders-ns`
  const credential = new AzureKeyCredential(KEY)
  // Plain http on loopback: the SDK refuses it unless told otherwise.
  const options = { allowInsecureConnection: true }
  return {
    eg,
    endpoint,
    sender: new EventGridSenderClient(endpoint, credential, 'orders', options),
    receiver: (sub = 'worker') => new EventGridReceiverClient(endpoint, credential, 'orders', sub, options)
  }
}

/** Resolves once a long poll is parked on the subscription (so a test moves the clock only after the request arrived). */
export async function pollParked (eg: RunningEmulator, sub = 'worker', count = 1): Promise<void> {
  const s = eg.emulator.namespaces.topic('orders-ns', 'orders')!.subscriptions.get(sub)!
  while (s.waiters.length < count) await new Promise((resolve) => setImmediate(resolve))
}
