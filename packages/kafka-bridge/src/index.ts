export { startBridge, type Bridge, type BridgeHealth, type BridgeOptions } from "./bridge.ts";
export { configFromEnv, ConfigError, type BridgeConfig, type InboundConfig } from "./config.ts";
export { jsonLogger, type Logger } from "./log.ts";
export { describeSecurity, type KafkaSecurity, type SaslSettings, type TlsSettings } from "./kafka-security.ts";
export { BridgeMetrics } from "./metrics.ts";
export { DEAD_LETTER_REASON_HEADER, checkInboundMessage } from "./inbound.ts";
export type {
  EventConsumer,
  EventProducer,
  HandleOutcome,
  IncomingMessage,
  KafkaClient,
  KafkaClientFactory,
  OutgoingMessage,
  TopicAdmin,
} from "./kafka-client.ts";
export { kafkajsClient } from "./kafkajs-client.ts";
export { quietKafkajsTimerWarning } from "./node-warnings.ts";
