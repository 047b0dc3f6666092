import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";

const NAME = "dev-server-floor";
const PATH = "/";

export const devServerFloor: Scenario = {
  name: NAME,
  description:
    "A worker that only answers 404 (tools/bench/fixtures/floor-worker.ts: no routing, no log line, no " +
    `database) alone in wrangler dev, at ${EQUAL_LOAD_RATE} req/s and flat out like the gateway-overhead pair: what ` +
    "the local dev server costs before any platform code runs. For reading the other rows.",
  async run({ platform, durations, say }) {
    const baseUrl = await platform.floorWorkerUrl();
    const target = (suffix: string): Target => ({
      id: `${NAME}/direct/${suffix}`,
      route: "direct",
      baseUrl,
      path: PATH,
      expectedStatuses: [404],
    });
    await warmUp(target("warm-up"), durations.warmUpSeconds);
    return [
      ...(await measureInterleaved(
        NAME,
        [target(`${EQUAL_LOAD_RATE}rps`)],
        { rate: EQUAL_LOAD_RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
        say,
      )),
      ...(await measureInterleaved(
        NAME,
        [target("max")],
        { rate: null, connections: CONNECTIONS, schedule: durations.maxThroughput },
        say,
      )),
    ];
  },
};
