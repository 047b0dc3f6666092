import { DEMO_USERS } from "@platform/dev-stack";
import { measureInterleaved, warmUp, type Target } from "../load.ts";
import type { Scenario } from "../scenario.ts";

const NAME = "login-cost";
/** Each sign-in costs one scrypt hash (32 MiB, ~0.1–0.2 s of CPU): a few a second keeps two cores out of saturation. */
const RATE = 4;
const CONNECTIONS = 4;

export const loginCost: Scenario = {
  name: NAME,
  description:
    `Through the gateway at ${RATE} req/s, rounds alternating: POST /api/auth/login with a wrong password for a real ` +
    "account, the same for an unknown email, and POST /api/auth/refresh with a malformed token (no hash, no database) " +
    "as the baseline. Login p50 minus the baseline is the cost of one password hash plus the account lookup; the two " +
    "login rows should match (no account enumeration by timing). Each request comes from its own address, so the " +
    "failed-login throttle never engages.",
  async run({ platform, durations, say }) {
    const baseUrl = await platform.gatewayUrl();
    const post = (id: string, path: string, jsonBody: unknown): Target => ({
      id: `${NAME}/${id}/${RATE}rps`,
      variant: id.replaceAll("-", " "),
      route: "gateway",
      baseUrl,
      path,
      method: "POST",
      jsonBody,
      expectedStatuses: [401],
    });
    const wrongPassword = post("wrong-password", "/api/auth/login", {
      email: DEMO_USERS[2].email,
      password: "not the password at all",
    });
    const unknownEmail = post("unknown-email", "/api/auth/login", {
      email: "nobody-here@demo.local",
      password: "not the password at all",
    });
    const baseline = post("refresh-baseline", "/api/auth/refresh", { refreshToken: "malformed" });
    for (const target of [wrongPassword, unknownEmail, baseline]) await warmUp(target, durations.warmUpSeconds);
    return await measureInterleaved(
      NAME,
      [wrongPassword, unknownEmail, baseline],
      { rate: RATE, connections: CONNECTIONS, schedule: durations.fixedRate },
      say,
    );
  },
};
