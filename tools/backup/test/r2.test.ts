import { createServer, type IncomingMessage } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupError, downloadFromR2, r2SettingsFrom, uploadToR2, type R2Settings } from "../src/index.ts";

/**
 * The off-site copy through R2's S3 API, against a stand-in S3 endpoint on loopback that keeps
 * what is PUT and hands it back: the request is SigV4-signed for region "auto" and service "s3"
 * with the given key id, the object lands under the prefix, and what comes back is byte for byte
 * what went up. (R2 itself checks the signature; that needs an account.)
 */
const objects = new Map<string, Buffer>();
const authorizations: string[] = [];
let endpoint: string;
const server = createServer(async (request: IncomingMessage, response) => {
  authorizations.push(request.headers.authorization ?? "");
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const path = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname);
  if (request.method === "PUT") {
    objects.set(path, Buffer.concat(chunks));
    response.writeHead(200).end();
  } else if (objects.has(path)) {
    response.writeHead(200).end(objects.get(path));
  } else {
    response.writeHead(404, { "content-type": "application/xml" }).end("<Error><Code>NoSuchKey</Code></Error>");
  }
});
const folder = mkdtempSync(join(tmpdir(), "backup-r2-"));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

const settings = (): R2Settings => ({
  endpoint,
  bucket: "platform-db-backups",
  accessKeyId: "backup-key-id",
  secretAccessKey: "backup-secret",
  prefix: "backups/",
});

describe("the R2 copy of a backup", () => {
  it("uploads the file signed for R2 and downloads the same bytes", async () => {
    const file = join(folder, "platform-1.tar.gz");
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    writeFileSync(file, bytes);

    const key = await uploadToR2(settings(), file, "platform-1.tar.gz");
    expect(key).toBe("backups/platform-1.tar.gz");
    expect(objects.get("/platform-db-backups/backups/platform-1.tar.gz")?.equals(bytes)).toBe(true);
    expect(authorizations.at(-1)).toMatch(/^AWS4-HMAC-SHA256 Credential=backup-key-id\/\d{8}\/auto\/s3\/aws4_request,/);
    expect(authorizations.at(-1)).not.toContain("backup-secret");

    const back = join(folder, "downloaded.tar.gz");
    await downloadFromR2(settings(), key, back);
    expect(readFileSync(back).equals(bytes)).toBe(true);
  });

  it("says which object is missing", async () => {
    await expect(downloadFromR2(settings(), "backups/none.tar.gz", join(folder, "x"))).rejects.toThrow(
      "R2 did not give backups/none.tar.gz: 404 NoSuchKey",
    );
  });
});

describe("R2 settings", () => {
  it("are off when none is given, and R2's endpoint comes from the account id", () => {
    expect(r2SettingsFrom({})).toBeNull();
    const given = r2SettingsFrom({
      BACKUP_R2_ACCOUNT_ID: "abc123",
      BACKUP_R2_BUCKET: "b",
      BACKUP_R2_ACCESS_KEY_ID: "k",
      BACKUP_R2_SECRET_ACCESS_KEY: "s",
    });
    expect(given?.endpoint).toBe("https://abc123.r2.cloudflarestorage.com");
    expect(given?.prefix).toBe("backups/");
  });

  it("name what is missing from a partial set, never a value", () => {
    const partial = () => r2SettingsFrom({ BACKUP_R2_BUCKET: "b", BACKUP_R2_SECRET_ACCESS_KEY: "top-secret-value" });
    expect(partial).toThrow(BackupError);
    expect(partial).toThrow("set BACKUP_R2_ACCESS_KEY_ID, BACKUP_R2_ACCOUNT_ID (or BACKUP_R2_ENDPOINT)");
    expect(partial).not.toThrow("top-secret-value");
  });
});
