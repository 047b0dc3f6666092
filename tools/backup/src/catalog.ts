import type pg from "pg";
import { MIGRATIONS_TABLE } from "@platform/db";
import { BackupError } from "./errors.ts";

/** What a backup needs to know of one table, read from the PostgreSQL catalog. */
export interface TableShape {
  readonly name: string;
  /** Every column COPY can write back: generated columns are left out, PostgreSQL computes them again. */
  readonly columns: string[];
  /** The primary key, or every column when there is none. */
  readonly orderBy: string[];
  /** Tables in the same schema this one has foreign keys to. */
  readonly parents: string[];
}

/** A column filled from a sequence (identity or serial): its next value must survive the restore. */
export interface SequenceColumn {
  readonly table: string;
  readonly column: string;
  /** The sequence, as a qualified, quoted name ready for SQL. */
  readonly sequence: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

/** The schema's tables (its migration history left out: migrations write that), parents before children. */
export async function tablesOf(client: pg.ClientBase, schema: string): Promise<TableShape[]> {
  const { rows } = await client.query<{
    name: string;
    columns: string[];
    primary_key: string[] | null;
    parents: string[];
  }>(
    `select c.relname as name,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                   order by a.attnum) as columns,
            (select array_agg(a.attname::text order by k.ord)
               from pg_constraint pk
               cross join unnest(pk.conkey) with ordinality as k(attnum, ord)
               join pg_attribute a on a.attrelid = pk.conrelid and a.attnum = k.attnum
              where pk.conrelid = c.oid and pk.contype = 'p') as primary_key,
            array(select distinct p.relname::text from pg_constraint fk
                    join pg_class p on p.oid = fk.confrelid
                   where fk.conrelid = c.oid and fk.contype = 'f' and p.relnamespace = c.relnamespace
                     and p.oid <> c.oid) as parents
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition and c.relname <> $2
      order by c.relname`,
    [schema, MIGRATIONS_TABLE],
  );
  const shapes = rows.map((row) => ({
    name: row.name,
    columns: row.columns,
    orderBy: row.primary_key ?? row.columns,
    parents: row.parents,
  }));
  await assertNoForeignKeysLeaveSchema(client, schema);
  return parentsFirst(schema, shapes);
}

/** Each service owns its schema; a key into another one would make the per-schema load order wrong. */
async function assertNoForeignKeysLeaveSchema(client: pg.ClientBase, schema: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `select fk.conname as name from pg_constraint fk
       join pg_class c on c.oid = fk.conrelid join pg_class p on p.oid = fk.confrelid
      where fk.contype = 'f' and c.relnamespace = $1::regnamespace and p.relnamespace <> c.relnamespace`,
    [schema],
  );
  if (rows.length > 0) {
    throw new BackupError(
      `Schema ${schema} has foreign keys into other schemas (${rows.map((r) => r.name).join(", ")}).`,
    );
  }
}

/** Orders tables so every table comes after the ones it refers to (a self-reference is checked per statement). */
export function parentsFirst(schema: string, tables: readonly TableShape[]): TableShape[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TableShape[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: TableShape, path: string[]) => {
    if (state.get(table.name) === "done") return;
    if (state.get(table.name) === "visiting") {
      throw new BackupError(`Schema ${schema} has a cycle of foreign keys (${[...path, table.name].join(" → ")}).`);
    }
    state.set(table.name, "visiting");
    for (const parent of table.parents) {
      const shape = byName.get(parent);
      if (shape) visit(shape, [...path, table.name]);
    }
    state.set(table.name, "done");
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

/** Columns whose values come from a sequence the schema owns (identity and serial columns). */
export async function sequenceColumnsOf(client: pg.ClientBase, schema: string): Promise<SequenceColumn[]> {
  const { rows } = await client.query<{ table: string; column: string; sequence: string }>(
    `select c.relname as table, a.attname as column, s.oid::regclass::text as sequence
       from pg_depend d
       join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_class c on c.oid = d.refobjid
       join pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid
      where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass
        and d.deptype in ('a', 'i') and c.relnamespace = $1::regnamespace and c.relname <> $2
      order by c.relname, a.attname`,
    [schema, MIGRATIONS_TABLE],
  );
  return rows;
}

/** The schemas of these that exist in the database. */
export async function existingSchemas(client: pg.ClientBase, schemas: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    "select nspname as name from pg_namespace where nspname = any($1::text[]) order by nspname",
    [schemas],
  );
  return rows.map((row) => row.name);
}
