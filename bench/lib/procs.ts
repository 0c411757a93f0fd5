/**
 * Helpers of the benchmark runner: server processes (bench/lib/child.ts), the load client (an undici Pool with
 * 128 connections, the physical baseline's client too), medians and percentiles.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Pool } from 'undici'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))

export interface Server {
  url: string
  /** CPU time (user + system) the process has used so far, µs. */
  cpu: () => Promise<number>
  /** Events the raw server received so far. */
  count: () => Promise<number>
  /** Arrival delays (ms) the raw server measured since the last call. */
  latencies: () => Promise<number[]>
  /** The client role: POSTs `n` single events to `url` + `path`, `parallel` at a time; resolves when all are answered. */
  load: (url: string, path: string, n: number, parallel: number) => Promise<void>
  stop: () => Promise<void>
}

export async function startServer (role: 'raw' | 'emulator' | 'client', config = ''): Promise<Server> {
  // A file, not an environment variable: 1,000 subscriptions are more than one variable may hold.
  const dir = mkdtempSync(join(tmpdir(), 'eg-bench-'))
  const configFile = join(dir, 'config.yaml')
  writeFileSync(configFile, config)
  const child: ChildProcess = fork(CHILD, [role], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CHILD_FLAGS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, BENCH_CONFIG_FILE: configFile },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  const pending = new Map<number, (value: unknown) => void>()
  let next = 0
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => { reject(new Error(`bench server '${role}' exited with ${code ?? 'a signal'}`)) })
    child.on('message', (m: { port?: number, id?: number, value?: unknown }) => {
      if (m.port !== undefined) resolve(m.port)
      else if (m.id !== undefined) { pending.get(m.id)?.(m.value); pending.delete(m.id) }
    })
  })
  const ask = async <T>(cmd: string, args: object = {}): Promise<T> => await new Promise<T>((resolve) => {
    const id = next++
    pending.set(id, resolve as (value: unknown) => void)
    child.send({ ...args, id, cmd })
  })
  return {
    url: `http://127.0.0.1:${port}`,
    cpu: async () => await ask<number>('cpu'),
    count: async () => await ask<number>('count'),
    latencies: async () => await ask<number[]>('latencies'),
    load: async (url, path, n, parallel) => { await ask('load', { load: { url, path, n, parallel } }) },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await Promise.race([ask('exit'), exited])
      child.kill()
      await exited
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The load client: keep-alive, 128 connections, as the physical baseline. */
export function client (url: string): Pool {
  return new Pool(url, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 })
}

/** Sends `bodies(i)` for i < n as POSTs to `path`, at most `parallel` at a time; resolves when all are answered. */
export async function post (pool: Pool, path: string, n: number, body: (i: number) => string, parallel = 128): Promise<void> {
  let i = 0
  async function worker (): Promise<void> {
    while (i < n) {
      const mine = i++
      const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: body(mine) })
      await res.body.dump()
      if (res.statusCode >= 300) throw new Error(`POST ${path} answered ${res.statusCode}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker))
}

/** Resolves when the raw server has received `total` events (polling), or throws after `timeoutMs`. */
export async function received (server: Server, total: number, timeoutMs = 120_000): Promise<void> {
  const until = performance.now() + timeoutMs
  while (await server.count() < total) {
    if (performance.now() > until) throw new Error(`only ${await server.count()} of ${total} events arrived within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export function percentile (xs: readonly number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN
}

export const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
