/**
 * Config shapes of Event Grid namespaces (`namespaces.<ns>`): ARM property names of a namespace, its namespace
 * topics and their event subscriptions (Microsoft.EventGrid/namespaces/topics/eventSubscriptions, 2024-06-01).
 * Generated from namespace-schema.ts (see types.ts).
 */
export type {
  NamespaceConfig, NamespaceDeadLetter, NamespacePushInfo, NamespaceQueueInfo, NamespaceSubscriptionConfig, NamespaceTopicConfig
} from './types.generated.js'
