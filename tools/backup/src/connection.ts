import pg from "pg";
import { assertReachable, redactUrl } from "@platform/dev-stack";
import { BackupError } from "./errors.ts";
import { SESSION_SETTINGS } from "./manifest.ts";

/**
 * One connection for the whole backup or restore (one snapshot, one transaction), with the
 * session settings COPY's text depends on. A wrong DATABASE_URL fails here, naming the URL with
 * its password hidden.
 */
export async function connect(databaseUrl: string): Promise<pg.Client> {
  try {
    await assertReachable(databaseUrl);
  } catch (error) {
    throw new BackupError(error instanceof Error ? error.message : String(error));
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  // A dropped connection mid-run surfaces through the running query; this keeps it from crashing the process first.
  client.on("error", () => {});
  for (const [name, value] of Object.entries(SESSION_SETTINGS)) {
    await client.query("select set_config($1, $2, false)", [name, value]);
  }
  return client;
}

export { redactUrl };

/** The database's name and server version, for the manifest and the confirmation a `--drop` asks for. */
export async function describeDatabase(client: pg.ClientBase): Promise<{ database: string; serverVersion: string }> {
  const { rows } = await client.query<{ database: string; server_version: string }>(
    "select current_database() as database, current_setting('server_version') as server_version",
  );
  const row = rows[0];
  if (!row) throw new BackupError("The database did not say its name.");
  return { database: row.database, serverVersion: row.server_version };
}
