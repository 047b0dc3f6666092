export { startKafkaBroker, freePort, type KafkaBroker, type KafkaBrokerOptions, type ScramUser } from "./broker.ts";
export { brokerClasspath } from "./classpath.ts";
export { DEFAULT_KAFKA_VERSION, DEFAULT_CACHE_DIR } from "./paths.ts";
