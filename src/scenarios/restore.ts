/**
 * What `scenario run --url` needs to put back a subscription it replaced: the ARM body as it was, rebuilt from
 * the admin GET (which hides the endpoint's query string and secret attribute values, as ARM does) plus
 * getFullUrl and getDeliveryAttributes (which return them, as ARM's POST actions do).
 */
export interface DescribedSubscription {
  properties: Record<string, unknown> & { destination: { endpointType: string, properties: Record<string, unknown> } }
}

export function restorableBody (described: DescribedSubscription, fullUrl: string | null, attributes: unknown[]): Record<string, unknown> {
  const { provisioningState: _state, provisioningStateReason: _reason, ...body } = described.properties
  const { endpointBaseUrl: _base, ...props } = described.properties.destination.properties
  if (fullUrl !== null) props.endpointUrl = fullUrl
  if (attributes.length > 0) props.deliveryAttributeMappings = attributes
  return { ...body, destination: { ...described.properties.destination, properties: props } }
}
