export { startKafkaBroker, freePort, type KafkaBroker, type KafkaBrokerOptions } from "./broker.ts";
export { brokerClasspath } from "./classpath.ts";
export { DEFAULT_KAFKA_VERSION, DEFAULT_CACHE_DIR } from "./paths.ts";
