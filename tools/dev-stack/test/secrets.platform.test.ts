import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, inject, it } from "vitest";

/**
 * The running test stack's secrets: where the stack wrote them, only this user can read them,
 * and none of its logs (wrangler's, PostgreSQL's) repeats them. Wrangler prints every `vars`
 * binding with its value at start-up; secrets from `.dev.vars` it shows as "(hidden)".
 */
const logDir = inject("logDir");
const dataDir = dirname(logDir);
const databaseUrl = new URL(inject("databaseUrl"));

const signingKeys = JSON.parse(inject("signingKeys")) as Array<{ d: string }>;
const SECRETS: Record<string, string> = {
  "signing key (JWT_PRIVATE_KEYS)": inject("signingKeys"),
  ...Object.fromEntries(signingKeys.map((key, index) => [`private part of signing key ${index}`, key.d])),
  STRIPE_WEBHOOK_SECRET: inject("stripeWebhookSecret"),
  INBOUND_EVENTS_SECRET: inject("inboundEventsSecret"),
  DATABASE_URL: databaseUrl.href,
  // The embedded PostgreSQL's password is the word "postgres", which logs name for other reasons:
  // what must not appear is the URL's credentials together.
  "DATABASE_URL credentials": `${databaseUrl.username}:${databaseUrl.password}@`,
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

/** A secret counts as present written as is or escaped inside a JSON string (as a config's vars hold it). */
const secretsIn = (text: string) =>
  Object.entries(SECRETS).flatMap(([name, value]) =>
    text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)) ? [name] : [],
  );
const mode = (path: string) => statSync(path).mode & 0o777;

describe("the stack's secrets", () => {
  it("are written only to files this user alone can read, in folders only this user can open", () => {
    const holders = [...filesUnder(join(dataDir, "run")), ...filesUnder(join(dataDir, "secrets"))]
      .map((file) => ({ file, secrets: secretsIn(readFileSync(file, "utf8")) }))
      .filter(({ secrets }) => secrets.length > 0);
    // Every secret is somewhere (else this test would check nothing): the workers' .dev.vars.
    expect(new Set(holders.flatMap(({ secrets }) => secrets))).toEqual(new Set(Object.keys(SECRETS)));
    for (const { file } of holders) {
      expect({ file, mode: mode(file) & 0o077 }).toEqual({ file, mode: 0 });
      expect({ dir: dirname(file), mode: mode(dirname(file)) & 0o077 }).toEqual({ dir: dirname(file), mode: 0 });
    }
  });

  it("never appear in a generated wrangler config's vars, only in its .dev.vars", () => {
    const configs = filesUnder(join(dataDir, "run")).filter((file) => file.endsWith("wrangler.json"));
    expect(configs.length).toBeGreaterThan(0);
    for (const config of configs)
      expect({ config, secrets: secretsIn(readFileSync(config, "utf8")) }).toEqual({ config, secrets: [] });
  });

  it("never appear in the stack's logs", () => {
    const logs = filesUnder(logDir);
    expect(logs.some((file) => file.includes("wrangler"))).toBe(true);
    for (const log of logs)
      expect({ log, secrets: secretsIn(readFileSync(log, "utf8")) }).toEqual({ log, secrets: [] });
    // Wrangler did list the secret bindings, hidden: they reached the workers as secrets.
    const wranglerLog = logs.filter((file) => file.includes("wrangler")).map((file) => readFileSync(file, "utf8"));
    expect(wranglerLog.join("\n")).toContain('env.STRIPE_WEBHOOK_SECRET ("(hidden)")');
  });
});
