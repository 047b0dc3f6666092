import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DOMAIN_WORKER_CONFIGS, GATEWAY_CONFIG, SITE_DIR } from "@platform/dev-stack";
import { deployOrder } from "../src/deploy-order.ts";
import { readWorkerConfig } from "../src/wrangler-config.ts";

const names = (workers: { name: string }[]) => workers.map((worker) => worker.name);
const worker = (name: string, ...bindsTo: string[]) => ({ name, bindsTo });

describe("deployOrder", () => {
  it("puts every worker after the workers it binds to", () => {
    const order = deployOrder([worker("gateway", "api", "site"), worker("site", "api"), worker("api", "db")]);
    expect(names(order)).toEqual(["api", "site", "gateway"]);
  });

  it("deploys a cycle as a group, in the order given, after what the group binds to", () => {
    const order = deployOrder([
      worker("users", "courses", "auth"),
      worker("courses", "users"),
      worker("events", "users"),
      worker("auth"),
    ]);
    expect(names(order)).toEqual(["auth", "users", "courses", "events"]);
  });

  it("ignores bindings to workers it is not deploying, and a worker's binding to itself", () => {
    expect(names(deployOrder([worker("a", "elsewhere", "a"), worker("b", "a")]))).toEqual(["a", "b"]);
  });

  it("refuses two workers of one name", () => {
    expect(() => deployOrder([worker("a"), worker("a")])).toThrow(/same name/);
  });
});

describe("readWorkerConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "worker-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the name and the service bindings of a TOML or a JSON config", () => {
    const toml = join(dir, "wrangler.toml");
    writeFileSync(
      toml,
      'name = "a"\n[[services]]\nbinding = "B"\nservice = "b"\n[[services]]\nbinding = "B2"\nservice = "b"\n',
    );
    const json = join(dir, "wrangler.json");
    writeFileSync(json, JSON.stringify({ name: "site", services: [{ binding: "API", service: "gateway" }] }));
    expect(readWorkerConfig(toml)).toEqual({ name: "a", config: toml, bindsTo: ["b"] });
    expect(readWorkerConfig(json)).toEqual({ name: "site", config: json, bindsTo: ["gateway"] });
  });

  it("refuses a config without a name or with a nameless binding", () => {
    const noName = join(dir, "no-name.toml");
    writeFileSync(noName, 'main = "x.ts"\n');
    expect(() => readWorkerConfig(noName)).toThrow(/no worker name/);
    const badBinding = join(dir, "bad-binding.toml");
    writeFileSync(badBinding, 'name = "a"\n[[services]]\nbinding = "B"\n');
    expect(() => readWorkerConfig(badBinding)).toThrow(/no service name/);
  });
});

describe("this repository's deploy order", () => {
  // The committed site/wrangler.toml has the same bindings as the generated config (no build needed here).
  const configs = [...DOMAIN_WORKER_CONFIGS, join(SITE_DIR, "wrangler.toml"), GATEWAY_CONFIG].map(readWorkerConfig);
  const order = names(deployOrder(configs));

  it("is the order docs/deploying.md gives: domain workers, events, the site, the gateway", () => {
    expect(order).toEqual([
      "platform-auth",
      "platform-users",
      "platform-courses",
      "platform-payments",
      "platform-progress",
      "platform-notifications",
      "platform-events",
      "platform-site",
      "platform-gateway",
    ]);
  });

  it("deploys each worker after every worker it binds to, except within a cycle", () => {
    const position = new Map(order.map((name, index) => [name, index]));
    const bindsTo = new Map(configs.map((config) => [config.name, config.bindsTo]));
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      from === to || (!seen.has(from) && (bindsTo.get(from) ?? []).some((next) => reaches(next, to, seen.add(from))));
    for (const config of configs) {
      for (const callee of config.bindsTo) {
        const inCycle = reaches(callee, config.name);
        if (!inCycle)
          expect(position.get(callee), `${callee} before ${config.name}`).toBeLessThan(
            position.get(config.name) as number,
          );
      }
    }
  });
});
