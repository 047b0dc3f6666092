// The Node peer as its own process (peer-server.ts starts it), so /proc shows its CPU apart
// from the bench's. Configured by environment; prints `listening <url>` when it can be called.
import { serve } from "@hono/node-server";
import type { JSONWebKeySet } from "jose";
import { peerApp } from "./app.ts";
import { pool } from "./queries.ts";

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`The Node peer needs ${name}.`);
  return value;
};

const db = pool(required("PEER_DATABASE_URL"));
const app = peerApp({
  db,
  jwks: JSON.parse(required("PEER_JWKS")) as JSONWebKeySet,
  issuer: required("PEER_ISSUER"),
  audience: required("PEER_AUDIENCE"),
});
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  process.stdout.write(`listening http://127.0.0.1:${info.port}\n`);
});
const stop = () => {
  server.close();
  void db.end().finally(() => process.exit(0));
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
