import { measureInterleaved, warmUp, type Target } from "../load.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "health-fanout";
const PATH = "/api/health";
/** Each request opens a database connection per domain worker: a few are enough to saturate them. */
const CONNECTIONS = 4;

export const healthFanout: Scenario = {
  name: NAME,
  description:
    `GET ${PATH} through the gateway, flat out with ${CONNECTIONS} connections: the gateway asks all six domain ` +
    "workers (each runs a query on PostgreSQL through the Neon driver and the local WebSocket proxy, on a fresh " +
    "connection) and the site, in parallel. For information.",
  async run({ platform, durations, say }) {
    const target: Target = {
      id: `${NAME}/gateway/max`,
      route: "gateway",
      baseUrl: await platform.gatewayUrl(),
      path: PATH,
      expectedStatuses: [200],
    };
    await warmUp(target, durations.warmUpSeconds);
    const schedule = {
      rounds: 1,
      secondsPerRound: durations.maxThroughput.rounds * durations.maxThroughput.secondsPerRound,
    };
    return await measureInterleaved(NAME, [target], { rate: null, connections: CONNECTIONS, schedule }, say);
  },
};
