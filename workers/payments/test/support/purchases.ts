import { api } from "../../../../test/support/api.ts";
import type { CourseBody } from "../../../../test/support/courses.ts";
import type { Person } from "../../../../test/support/people.ts";
import { sessionIdOf } from "./stripe.ts";
import type { Checkout } from "./views.ts";

/** Buying through the API, and what the buyer may then read. */

export async function buy(person: Person, course: { id: string }, headers: Record<string, string> = {}) {
  return api<Checkout>("POST", `/api/payments/courses/${course.id}`, { token: person.token, headers });
}

/** Opens a checkout that must succeed, and returns it with the stand-in's session id. */
export async function checkout(person: Person, course: { id: string }) {
  const answer = await buy(person, course);
  if (answer.status !== 201) throw new Error(`purchase answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...answer.body, sessionId: sessionIdOf(answer.body.checkoutUrl) };
}

export async function lessonsAccess(course: CourseBody | { id: string }, person: Person) {
  const answer = await api<{ access: "full" | "preview"; lessons: Array<{ locked: boolean }> }>(
    "GET",
    `/api/courses/${course.id}/lessons`,
    { token: person.token },
  );
  if (answer.status !== 200) throw new Error(`lessons answered ${answer.status}`);
  return answer.body;
}
