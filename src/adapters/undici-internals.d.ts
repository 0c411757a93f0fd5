/**
 * The three undici files the transport loads instead of undici's index (undici-transport.ts says why). undici
 * publishes types for its index only; these say what each file exports, in undici's own types.
 */
declare module 'undici/lib/dispatcher/pool.js' {
  const Pool: typeof import('undici').Pool
  export default Pool
}
declare module 'undici/lib/dispatcher/agent.js' {
  const Agent: typeof import('undici').Agent
  export default Agent
}
declare module 'undici/lib/api/index.js' {
  const api: { request: typeof import('undici').Dispatcher.prototype.request }
  export default api
}
