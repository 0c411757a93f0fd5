/**
 * An endpoint that is one of the emulator's own event-accepting or admin routes would feed every delivery back
 * in as a new publish (or change the emulator's state): a loop that grows without end. Such endpoints are
 * refused at config load / PUT when written as a path, and checked again on delivery when written as a full URL
 * to this emulator (whose port is known only once it listens).
 */

/** Paths on this emulator a subscription may not deliver to (the sink and everything else are fine). */
const OWN_ROUTES = /^\/(topics|domains|namespaces|admin|api)(\/|$)|^\/(sms|emails:send)(\/|$|\?)/i

/** Why a path on this emulator cannot be an endpoint, or undefined when it can. */
export function ownRouteProblem (path: string): string | undefined {
  const clean = path.split('?')[0] ?? ''
  if (!OWN_ROUTES.test(clean)) return undefined
  return `'${path}' is one of the emulator's own publish or admin routes: delivering there would feed every event back in as a new one (a loop). Use /sink/NAME or your own webhook`
}

/** Same check for a full URL, once the emulator's base URL is known; loopback names count as the same host. */
export function selfLoopProblem (url: string, baseUrl: string): string | undefined {
  let target: URL
  let own: URL
  try { target = new URL(url); own = new URL(baseUrl) } catch { return undefined }
  if (target.protocol !== own.protocol || effectivePort(target) !== effectivePort(own)) return undefined
  if (!isLoopback(target.hostname) && target.hostname !== own.hostname) return undefined
  return ownRouteProblem(target.pathname)
}

function effectivePort (u: URL): string { return u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80' }

function isLoopback (host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host)
}
