import type { TopicAdmin } from "./kafka-client.ts";
import type { Logger } from "./log.ts";

export interface TopicRegistry {
  /** Resolves once every named topic exists (creating the missing ones); rejects if Kafka cannot say. */
  ensure(topics: Iterable<string>): Promise<void>;
}

/**
 * Remembers which topics are known to exist, so the relay asks Kafka only about new ones. Calls
 * are serialised: two relays asking for the same missing topic create it once.
 */
export function topicRegistry(
  admin: TopicAdmin,
  layout: { readonly partitions: number; readonly replicationFactor: number },
  log: Logger,
): TopicRegistry {
  const known = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  const ensureNow = async (wanted: readonly string[]) => {
    const missing = wanted.filter((topic) => !known.has(topic));
    if (missing.length === 0) return;
    const created = await admin.ensureTopics(
      missing.map((topic) => ({ topic, partitions: layout.partitions, replicationFactor: layout.replicationFactor })),
    );
    for (const topic of missing) known.add(topic);
    if (created.length > 0) log("info", "created Kafka topics", { topics: created, partitions: layout.partitions });
  };

  return {
    ensure(topics) {
      const wanted = [...new Set(topics)];
      if (wanted.every((topic) => known.has(topic))) return Promise.resolve();
      const next = queue.then(() => ensureNow(wanted));
      queue = next.catch(() => {});
      return next;
    },
  };
}
