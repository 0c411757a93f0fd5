/**
 * The `topic` of delivered ACS events: the Communication Services resource id. Event Grid stamps it in
 * lower-case provider form (`/subscriptions/X/resourcegroups/Y/providers/microsoft.communication/
 * communicationservices/Z`), as the docs, every catalog sample and a real captured payload
 * (MicrosoftDocs/azure-docs#121576) show; the subscription id, group and resource names stay as given.
 */
const ACS_RESOURCE_RE = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.communication\/communicationservices\/([^/]+)\/?$/i

export function isAcsResourceId (source: string): boolean {
  return ACS_RESOURCE_RE.test(source.trim())
}

/**
 * ARM-cased resource id → the form Event Grid stamps into `topic`. A string that is not a
 * Communication Services resource id is returned unchanged (use isAcsResourceId to validate config).
 */
export function acsTopicId (source: string): string {
  const m = ACS_RESOURCE_RE.exec(source.trim())
  if (m === null) return source
  return `/subscriptions/${m[1]}/resourcegroups/${m[2]}/providers/microsoft.communication/communicationservices/${m[3]}`
}
