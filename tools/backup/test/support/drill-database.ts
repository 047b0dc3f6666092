import pg from "pg";
import { DOMAIN_SERVICES } from "@platform/contracts";

/**
 * A database of its own in the routes project's PostgreSQL: the drill drops whole schemas, which
 * would pull the floor from under every other routes test sharing the routes database.
 */
export async function createDrillDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `drill_${crypto.randomUUID().replaceAll("-", "").slice(-12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: serverUrl });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export interface TableDigest {
  readonly rows: number;
  readonly md5: string;
}

/**
 * Every table of every service schema (the migration history too), with its row count and an md5
 * of its rows — computed here in SQL, apart from the backup tool's own checksums, in the session's
 * default settings, so the comparison does not lean on the code it checks.
 */
export async function digestAll(pool: pg.Pool): Promise<Record<string, TableDigest>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind = 'r' order by 1`,
    [DOMAIN_SERVICES],
  );
  const digests: Record<string, TableDigest> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<TableDigest>(
      `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${name} t`,
    );
    const digest = rows[0];
    if (digest) digests[name] = digest;
  }
  return digests;
}

/** The service schemas present. */
export async function schemasPresent(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "select nspname as name from pg_namespace where nspname = any($1::text[]) order by 1",
    [DOMAIN_SERVICES],
  );
  return rows.map((row) => row.name);
}

export async function dropServiceSchemas(pool: pg.Pool): Promise<void> {
  for (const schema of DOMAIN_SERVICES) await pool.query(`drop schema if exists ${schema} cascade`);
}
