import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, assertPortFree, freePort } from "../src/index.ts";

/**
 * `npm start`'s local mail, as a developer meets it: the script prints the MailDev inbox with the other addresses,
 * the inbox answers there, and a mail the platform sends (a registration's welcome and address check, from the
 * notifications worker in workerd over SMTP) shows up in it, read through MailDev's own REST API (`GET /api/email`).
 * A stack of its own (the shared test stack sends to the test mailbox instead), started once for the file.
 */
const START_SCRIPT = join(REPO_ROOT, "tools", "dev-stack", "bin", "start.ts");
const READY = "Ctrl-C stops everything";

interface MailDevEmail {
  readonly id: string;
  readonly subject: string;
  readonly to: readonly { readonly address: string }[];
  readonly text?: string;
}

let child: ChildProcess;
let exited: Promise<number | null>;
let stdout = "";
let dataDir: string;
let ports: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "platform-local-mail-"));
  chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root.
  ports = {
    PORT: String(await freePort()),
    PG_PORT: String(await freePort()),
    NEON_PROXY_PORT: String(await freePort()),
    INSPECTOR_PORT: String(await freePort()),
    MAILDEV_SMTP_PORT: String(await freePort()),
    MAILDEV_WEB_PORT: String(await freePort()),
  };
  // The developer's own environment must not send the mail elsewhere or switch MailDev off.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !["SMTP_HOST", "SMTP_PORT", "MAILDEV"].includes(name)),
  );
  child = spawn(process.execPath, [START_SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...inherited, QUIET: "1", PLATFORM_DATA_DIR: dataDir, ...ports },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (data: Buffer) => (stderr += data.toString("utf8")));
  exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start was not up within 150 s:\n${stdout}\n${stderr}`)),
      150_000,
    );
    child.stdout?.on("data", (data: Buffer) => {
      stdout += data.toString("utf8");
      if (stdout.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start ended with ${code} before it was up:\n${stdout}\n${stderr}`));
    });
  });
}, 180_000);

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGINT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}, 90_000);

/** The inbox's address from the printed "Mail inbox" line. */
function printedInbox(): string {
  const line = stdout.split("\n").find((each) => each.trim().startsWith("Mail inbox"));
  const url = /Mail inbox\s+(http:\/\/\S+)/.exec(line ?? "")?.[1];
  if (!url) throw new Error(`no "Mail inbox" address in:\n${stdout}`);
  return url;
}

async function inboxEmails(inbox: string): Promise<MailDevEmail[]> {
  const response = await fetch(new URL("api/email", inbox));
  expect(response.status).toBe(200);
  return (await response.json()) as MailDevEmail[];
}

describe("npm start's local mail", () => {
  it("prints the MailDev inbox with the other addresses, and the inbox answers there", async () => {
    const inbox = printedInbox();
    expect(inbox).toBe(`http://127.0.0.1:${ports.MAILDEV_WEB_PORT}/`);
    expect(stdout).toContain(`(MailDev; SMTP 127.0.0.1:${ports.MAILDEV_SMTP_PORT})`);
    // As a browser asks for it: MailDev answers an address without a file with its page only to `Accept: text/html`.
    const page = await fetch(inbox, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toMatch(/MailDev/i);
    // Its REST API answers at the same address (the demo data's events may already have mailed someone).
    expect(await inboxEmails(inbox)).toBeInstanceOf(Array);
  });

  it("a registration's mails, sent by the notifications worker, arrive in the inbox", async () => {
    const inbox = printedInbox();
    const gateway = `http://127.0.0.1:${ports.PORT}`;
    const email = `local-mail-${process.pid}-${Date.now()}@example.com`;
    const registered = await fetch(`${gateway}/api/auth/register`, {
      method: "POST",
      // As Cloudflare's edge would set it; the gateway's per-client limits key on it.
      headers: { "content-type": "application/json", "cf-connecting-ip": "2001:db8:6:1::1" },
      body: JSON.stringify({ email, password: "a perfectly fine passphrase", name: "Local Mail" }),
    });
    expect(registered.status).toBe(201);

    const deadline = Date.now() + 30_000;
    let mine: MailDevEmail[] = [];
    while (Date.now() < deadline) {
      mine = (await inboxEmails(inbox)).filter((mail) => mail.to.some((to) => to.address === email));
      if (mine.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(mine.map((mail) => mail.subject).sort()).toEqual(["Confirm your email address", "Welcome to Edge Learning"]);
    const welcome = mine.find((mail) => mail.subject === "Welcome to Edge Learning");
    const whole = await fetch(new URL(`api/email/${welcome?.id}`, inbox));
    expect(whole.status).toBe(200);
    // The links point at this stack's own gateway (its PUBLIC_ORIGIN).
    expect(((await whole.json()) as MailDevEmail).text).toContain(`${gateway}/courses`);
  });

  it("Ctrl-C stops MailDev with the rest: exit 0 and its ports free", async () => {
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    for (const port of Object.values(ports)) await assertPortFree(Number(port), "after shutdown");
  });
});
