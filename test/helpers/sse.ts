/** Reads GET /admin/stream over a real socket and collects its messages. */
import { request } from 'undici'

export interface SseClient {
  messages: Array<Record<string, unknown>>
  /** Resolves with the first message (past or future) matching the predicate. */
  next: (predicate: (m: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>
  close: () => void
  status: number
  headers: Record<string, string | string[] | undefined>
}

export async function openStream (url: string, query = ''): Promise<SseClient> {
  const controller = new AbortController()
  const res = await request(`${url}/admin/stream${query}`, { signal: controller.signal })
  const messages: Array<Record<string, unknown>> = []
  const waiters = new Set<() => void>()
  let buffer = ''
  res.body.setEncoding('utf8')
  res.body.on('data', (chunk: string) => {
    buffer += chunk
    let end
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
      if (data !== '') messages.push(JSON.parse(data) as Record<string, unknown>)
    }
    for (const w of waiters) w()
  })
  res.body.on('error', () => {})
  return {
    messages,
    status: res.statusCode,
    headers: res.headers,
    next: async (predicate, timeoutMs = 5000) => await new Promise((resolve, reject) => {
      const check = (): void => {
        const found = messages.find(predicate)
        if (found !== undefined) { waiters.delete(check); clearTimeout(timer); resolve(found) }
      }
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no matching stream message; got ${JSON.stringify(messages)}`)) }, timeoutMs)
      waiters.add(check)
      check()
    }),
    close: () => { controller.abort() }
  }
}
