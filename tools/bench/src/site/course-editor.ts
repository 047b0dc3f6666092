import { DEMO_COURSES, DEMO_PASSWORD, DEMO_USERS } from "@platform/dev-stack";
import { nextClientAddress } from "../client-addresses.ts";

/**
 * Changes the demo course as its author would, through the API: its summary shows on the home page's
 * rows, the catalog's cards and its own page, so one change makes all three out of date. What the site
 * kept of them must then be rendered again: the site's uncached path, as a visitor meets it after a change.
 */
export interface CourseEditor {
  /** A new summary for the course; answers once the API has accepted it. */
  change(): Promise<void>;
  /** The summary as it was. */
  restore(): Promise<void>;
}

const INSTRUCTOR = DEMO_USERS[1];
const COURSE = DEMO_COURSES[0];

async function call(baseUrl: string, method: string, path: string, body: unknown, token?: string): Promise<Response> {
  return await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      "content-type": "application/json",
      "cf-connecting-ip": nextClientAddress(),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
}

export async function courseEditor(baseUrl: string): Promise<CourseEditor> {
  if (!COURSE) throw new Error("the dev stack's demo data has no course");
  const login = await call(baseUrl, "POST", "/api/auth/login", { email: INSTRUCTOR.email, password: DEMO_PASSWORD });
  const { accessToken } = (await login.json()) as { accessToken?: string };
  if (login.status !== 200 || !accessToken) throw new Error(`the demo instructor's sign-in answered ${login.status}`);
  const setSummary = async (summary: string) => {
    const answer = await call(baseUrl, "PATCH", `/api/courses/${COURSE.id}`, { summary }, accessToken);
    if (answer.status !== 200) {
      throw new Error(`changing the demo course answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
    }
  };
  let edits = 0;
  return {
    change: () => setSummary(`${COURSE.summary} (edit ${++edits})`),
    restore: () => setSummary(COURSE.summary),
  };
}
