// `npm run deploy:smoke -- <gateway URL>` (or SMOKE_URL): the checks in src/smoke.ts, retried while a
// fresh deploy spreads. Exits 1 when any fails.
import { smokeTest } from "../src/smoke.ts";

const url = process.argv[2] || process.env.SMOKE_URL;
if (!url) {
  console.error("usage: npm run deploy:smoke -- https://learn.example.com   (or set SMOKE_URL)");
  process.exit(2);
}
const results = await smokeTest(url);
for (const result of results) console.log(`${result.ok ? "✔" : "✖"} ${result.name}: ${result.detail}`);
process.exit(results.every((result) => result.ok) ? 0 : 1);
