/**
 * The smoke test run against the deployed gateway after `npm run deploy` (and locally against any
 * gateway URL): the platform is up (every worker and schema), the catalog answers through the gateway,
 * and the site renders its home page with the catalog rows filled in (the site → gateway binding works).
 */

export interface SmokeCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface SmokeOptions {
  /** A fresh deploy takes a few seconds to reach every location: each check is tried this many times. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
  /** Per request. */
  readonly timeoutMs?: number;
}

type Check = { name: string; path: string; judge: (response: Response) => Promise<string | undefined> };

/** Each judge returns undefined when the answer is good, or why it is not. */
const CHECKS: readonly Check[] = [
  {
    name: "platform health",
    path: "/api/health",
    judge: async (response) => {
      const body = (await response.json().catch(() => undefined)) as
        { status?: unknown; services?: Record<string, { status?: unknown }>; site?: { status?: unknown } } | undefined;
      if (response.status !== 200 || body?.status !== "pass") {
        const failing = Object.entries({ ...body?.services, site: body?.site ?? {} })
          .filter(([, health]) => health?.status !== "pass")
          .map(([name]) => name);
        return `${response.status}, status ${String(body?.status)}${failing.length ? `; failing: ${failing.join(", ")}` : ""}`;
      }
      return undefined;
    },
  },
  {
    name: "catalog",
    path: "/api/courses?limit=1",
    judge: async (response) => {
      const body = (await response.json().catch(() => undefined)) as
        { items?: unknown; nextCursor?: unknown } | undefined;
      if (response.status !== 200) return `${response.status}`;
      if (!Array.isArray(body?.items) || !("nextCursor" in (body ?? {})))
        return "not a catalog page (items, nextCursor)";
      return undefined;
    },
  },
  {
    name: "site home page",
    path: "/",
    judge: async (response) => {
      const html = await response.text();
      if (response.status !== 200) return `${response.status}`;
      if (!response.headers.get("content-type")?.includes("text/html")) return "not text/html";
      // The home page's course rows come from the API through the site's binding to the gateway.
      if (!html.includes('data-row="new"')) return "no catalog row on the page";
      if (html.includes('data-state="unavailable"')) return "the page says the catalog is unavailable";
      return undefined;
    },
  },
];

async function runCheck(baseUrl: URL, check: Check, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(new URL(check.path, baseUrl), {
      headers: { accept: check.path === "/" ? "text/html" : "application/json", "user-agent": "platform-smoke-test" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    return await check.judge(response);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function smokeTest(baseUrl: string, options: SmokeOptions = {}): Promise<SmokeCheck[]> {
  const { attempts = 6, retryDelayMs = 5_000, timeoutMs = 10_000 } = options;
  const base = new URL(baseUrl);
  const results: SmokeCheck[] = [];
  for (const check of CHECKS) {
    let problem: string | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      problem = await runCheck(base, check, timeoutMs);
      if (problem === undefined) break;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
    results.push({
      name: check.name,
      ok: problem === undefined,
      detail: `GET ${check.path}${problem === undefined ? "" : `: ${problem}`}`,
    });
  }
  return results;
}
