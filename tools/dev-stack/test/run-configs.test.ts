import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { devVarsText, isSecretName, writeRunConfigs } from "../src/index.ts";

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "run-configs-"));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

const SECRETS = {
  DATABASE_URL: "postgres://app:pw-4d1e@127.0.0.1:5432/platform",
  JWT_PRIVATE_KEYS: '[{"kty":"OKP","d":"private-part-9f2c"}]',
  STRIPE_WEBHOOK_SECRET: "whsec_5eb2",
  INBOUND_EVENTS_SECRET: "inbound-7a11",
};

describe("writeRunConfigs", () => {
  it("puts secrets in a private .dev.vars, never in the config's vars, and keeps plain settings as vars", () => {
    const source = folder();
    const config = join(source, "wrangler.json");
    writeFileSync(config, JSON.stringify({ name: "platform-x", main: "src/index.ts", vars: { JWT_AUDIENCE: "api" } }));
    const runDir = join(folder(), "run", "8787");

    const [written = ""] = writeRunConfigs([config], runDir, () => ({ ...SECRETS, NEON_WS_PROXY: "127.0.0.1:1" }));

    const text = readFileSync(written, "utf8");
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    expect(JSON.parse(text).vars).toEqual({ JWT_AUDIENCE: "api", NEON_WS_PROXY: "127.0.0.1:1" });
    const devVars = join(written, "..", ".dev.vars");
    expect(readFileSync(devVars, "utf8")).toBe(devVarsText(SECRETS));
    for (const file of [written, devVars]) expect(mode(file)).toBe(0o600);
    for (const dir of [runDir, join(written, "..")]) expect(mode(dir)).toBe(0o700);
  });

  it("tightens files and folders an older run left readable, and drops secrets no longer set", () => {
    const source = folder();
    const config = join(source, "wrangler.json");
    writeFileSync(config, JSON.stringify({ name: "platform-x" }));
    const runDir = join(folder(), "run");
    const [first = ""] = writeRunConfigs([config], runDir, () => SECRETS);
    const devVars = join(first, "..", ".dev.vars");
    // What an older `npm start` left: world-readable copies.
    for (const file of [first, devVars]) chmodSync(file, 0o644);
    chmodSync(runDir, 0o755);

    writeRunConfigs([config], runDir, () => ({}));

    expect(mode(first)).toBe(0o600);
    expect(mode(devVars)).toBe(0o600);
    expect(mode(runDir)).toBe(0o700);
    expect(readFileSync(devVars, "utf8")).toBe("");
  });
});

describe("devVarsText", () => {
  it("quotes each value so dotenv reads it back literally", () => {
    expect(devVarsText({ A: 'x#"y' })).toBe(`A='x#"y'\n`);
    expect(devVarsText({ A: "it's" })).toBe("A=`it's`\n");
    expect(() => devVarsText({ A: "'`\"" })).toThrow(/cannot be quoted/);
  });
});

describe("isSecretName", () => {
  it("calls the platform's secrets secrets, and its plain settings not", () => {
    for (const name of [...Object.keys(SECRETS), "STRIPE_SECRET_KEY", "KAFKA_SASL_PASSWORD"]) {
      expect(isSecretName(name)).toBe(true);
    }
    for (const name of ["JWT_ISSUER", "JWT_AUDIENCE", "NEON_WS_PROXY", "STRIPE_API_BASE", "LOGIN_RATE_LIMIT"]) {
      expect(isSecretName(name)).toBe(false);
    }
  });
});
