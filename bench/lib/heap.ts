/** Heap measurements for the memory rows, which run in processes of their own. */

/** The heap in use after two full collections (the process must run with --expose-gc). */
export function heapAfterGc (): number {
  const gc = globalThis.gc ?? (() => { throw new Error('run with --expose-gc') })
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
