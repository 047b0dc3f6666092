/* global process, console, fetch */
// Grants people access to a course in bulk (docs/integrators.md#enrollment-import) and prints the
// platform's report, row by row. Needs an API key with enrollments:write (or an admin's token).
//
//   COURSE_ID=0193… PLATFORM_API_KEY=elk_… node docs/examples/enroll-users.mjs ada@example.com 0193f9c4-…
//   COURSE_ID=0193… PLATFORM_API_KEY=elk_… node docs/examples/enroll-users.mjs --file rows.json
//
// Arguments are people: an account's email address or its user id. A file is JSON, either the
// import's own body {"rows": [{"email": "…", "reference": "order 1042"}, {"userId": "…"}]} or just
// the array of rows. ENROLL_REFERENCE, if set, is the reference of every argument's grant (an order,
// a contract); without one the platform records `import`. Sending the same rows again is safe: each
// row is then `already_enrolled`, and nothing new is granted.
import { readFile } from "node:fs/promises";

const PLATFORM_URL = (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const TOKEN = process.env.PLATFORM_API_KEY ?? process.env.ADMIN_ACCESS_TOKEN;
const COURSE_ID = process.env.COURSE_ID;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rows to import, from `--file <path>` or from the arguments. */
async function rowsToImport(args) {
  const fileFlag = args.indexOf("--file");
  if (fileFlag !== -1) {
    const path = args[fileFlag + 1];
    if (!path) throw new Error("--file needs a path.");
    const parsed = JSON.parse(await readFile(path, "utf8"));
    return Array.isArray(parsed) ? parsed : parsed.rows;
  }
  const reference = process.env.ENROLL_REFERENCE;
  return args.map((person) => ({
    ...(UUID.test(person) ? { userId: person } : { email: person }),
    ...(reference && { reference }),
  }));
}

async function main() {
  if (!TOKEN) throw new Error("Set PLATFORM_API_KEY (a key with enrollments:write) or ADMIN_ACCESS_TOKEN.");
  if (!COURSE_ID) throw new Error("Set COURSE_ID to the published course to grant.");
  const rows = await rowsToImport(process.argv.slice(2));
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new Error("Name people to enroll (emails or user ids), or --file rows.json.");
  }

  const response = await fetch(`${PLATFORM_URL}/api/courses/${COURSE_ID}/enrollments/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ rows }),
  });
  const answer = await response.json().catch(() => ({}));
  // A refusal of the whole import (404 no course, 409 not published, 413 too many rows, …) writes nothing.
  if (!response.ok) {
    throw new Error(`The import was refused (${response.status}): ${answer.detail ?? answer.title ?? "no detail"}`);
  }

  for (const row of answer.rows) {
    const who = row.email ?? row.userId ?? "(nobody)";
    const outcome = row.reason ? `${row.outcome}, ${row.reason}` : row.outcome;
    console.log(`line ${row.line} ${who}: ${outcome} (${row.detail})${row.userId ? ` user ${row.userId}` : ""}`);
  }
  const { total, granted, alreadyEnrolled, failed } = answer.summary;
  console.log(`summary: ${total} row(s), ${granted} granted, ${alreadyEnrolled} already enrolled, ${failed} failed`);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
