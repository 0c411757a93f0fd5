/** A StorageBlob dead-letter destination: the same shape on topic and namespace subscriptions. */
export const deadLetterDestinationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['endpointType', 'properties'],
  properties: {
    endpointType: { enum: ['StorageBlob'] },
    properties: {
      type: 'object',
      additionalProperties: false,
      required: ['blobContainerName'],
      properties: {
        blobContainerName: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$' },
        resourceId: { type: 'string' }
      }
    }
  }
} as const
