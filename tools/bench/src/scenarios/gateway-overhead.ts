import { BUDGETS } from "../budgets.ts";
import { compareOverhead } from "../compare.ts";
import { measureInterleaved, warmUp, type Target } from "../load.ts";
import { CONNECTIONS, EQUAL_LOAD_RATE, type Scenario } from "../scenario.ts";
import { scenarioName, type StackMode } from "../stack-mode.ts";

/** A path no courses route matches: the courses worker answers 404 problem+json itself, without the database. */
const PATH = "/api/courses/bench/not-found";

export function gatewayOverheadScenario(mode: StackMode): Scenario {
  const NAME = scenarioName("gateway-overhead", mode);
  return {
    name: NAME,
    description:
      `GET ${PATH}, answered 404 by the courses worker without touching the database, through the gateway ` +
      "(service binding) and from the same worker alone in its own wrangler dev. The worker does identical work " +
      `both ways, so the difference is the gateway's. At ${EQUAL_LOAD_RATE} req/s evenly spaced (latency under equal ` +
      "load; the budget's figure) and flat out (capacity); the two routes alternate round by round." +
      (mode === "production-shaped"
        ? " Production-shaped (stack-mode.ts): both wrangler dev sessions with the workers' output discarded and " +
          "their proxy worker stepped around, so the dev server's own costs dilute and inflate neither side."
        : ""),
    async run({ platform, durations, say }) {
      const target = async (route: "gateway" | "direct", suffix: string): Promise<Target> => ({
        id: `${NAME}/${route}/${suffix}`,
        route,
        baseUrl:
          route === "gateway"
            ? (await platform.stack(mode)).gatewayUrl
            : await platform.directWorkerUrl("courses", mode),
        path: PATH,
        expectedStatuses: [404],
      });
      const rateSuffix = `${EQUAL_LOAD_RATE}rps`;
      const [gatewayAtRate, directAtRate] = [await target("gateway", rateSuffix), await target("direct", rateSuffix)];
      const [gatewayFlatOut, directFlatOut] = [await target("gateway", "max"), await target("direct", "max")];

      say(`Warming up both routes (${durations.warmUpSeconds} s each) …`);
      await warmUp(gatewayAtRate, durations.warmUpSeconds);
      await warmUp(directAtRate, durations.warmUpSeconds);

      const atRate = await measureInterleaved(
        NAME,
        [gatewayAtRate, directAtRate],
        { rate: EQUAL_LOAD_RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
        say,
      );
      const flatOut = await measureInterleaved(
        NAME,
        [directFlatOut, gatewayFlatOut],
        { rate: null, connections: CONNECTIONS, schedule: durations.maxThroughput },
        say,
      );
      const [gRate, dRate] = atRate;
      const [dMax, gMax] = flatOut;
      if (!gRate || !dRate || !gMax || !dMax) throw new Error("A gateway-overhead run is missing.");
      return [
        gRate,
        dRate,
        gMax,
        dMax,
        compareOverhead(
          NAME,
          BUDGETS.gatewayOverheadRatio,
          { rate: EQUAL_LOAD_RATE, gateway: gRate, direct: dRate },
          { gateway: gMax, direct: dMax },
        ),
      ];
    },
  };
}

export const gatewayOverhead = gatewayOverheadScenario("dev-server");
