/**
 * Namespace dead-letter blobs on the local disk, at the path Event Grid namespaces use inside the container:
 * `<deadLetterDir>/<container>/<namespace>/<topic>/<subscription>/<yyyy>/<M>/<d>/<H>/<uuid>.json` (UTC).
 * Content: the CloudEvent with `deadLetterProperties` (reference §8).
 */
import { randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CloudEvent } from '../domain/events.js'

export interface NamespaceDeadLetterProperties {
  deadletterreason: string
  deliveryattempts: number
  deliveryresult: string
  publishutc: string
  deliveryattemptutc: string
}

export interface NamespaceDeadLetterRecord { deadLetterProperties: NamespaceDeadLetterProperties, event: CloudEvent }

export function deadLetterPath (container: string, ns: string, topic: string, sub: string, now: Date): string {
  return join(container, ns, topic, sub, String(now.getUTCFullYear()), String(now.getUTCMonth() + 1),
    String(now.getUTCDate()), String(now.getUTCHours()), `${randomUUID()}.json`)
}

/** Writes one record; returns the path relative to `baseDir`. */
export async function writeNamespaceDeadLetter (baseDir: string, rel: string, record: NamespaceDeadLetterRecord): Promise<void> {
  const full = join(baseDir, rel)
  await mkdir(join(full, '..'), { recursive: true })
  await writeFile(full, JSON.stringify(record, null, 2))
}
