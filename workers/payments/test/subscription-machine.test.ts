import { describe, expect, it } from "vitest";
import {
  INITIAL_SUBSCRIPTION,
  SUBSCRIPTION_LIFECYCLES,
  applySubscriptionFact,
  canMove,
  endsAtOf,
  statusOf,
  type SubscriptionEffect,
  type SubscriptionFact,
  type SubscriptionState,
  type SubscriptionStatus,
} from "../src/subscription-machine.ts";
import { seededRandom, withRedeliveries } from "./support/random.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const P1 = T0 + 30 * DAY;
const P2 = P1 + 31 * DAY;

const snapshot = (
  status: string,
  periodEnd: number,
  extra: Partial<Extract<SubscriptionFact, { kind: "snapshot" }>> = {},
): SubscriptionFact => ({
  kind: "snapshot",
  status,
  cancelAtPeriodEnd: false,
  cancelAt: null,
  currentPeriodEnd: periodEnd,
  endedAt: null,
  at: T0,
  ...extra,
});
const invoice = (id: string, created: number, paid: boolean, periodEnd: number): SubscriptionFact => ({
  kind: "invoice",
  invoiceId: id,
  created,
  paid,
  periodEnd,
});

const started: SubscriptionFact[] = [
  { kind: "checkout_completed", settled: true },
  snapshot("active", P1),
  invoice("in_1", T0, true, P1),
];
const cancelAtPeriodEnd = snapshot("active", P1, { cancelAtPeriodEnd: true, cancelAt: P1, at: T0 + DAY });
const endedAtPeriodEnd = snapshot("canceled", P1, { cancelAtPeriodEnd: true, cancelAt: P1, endedAt: P1, at: P1 });
const endedEarly = snapshot("canceled", P1, { endedAt: T0 + 2 * DAY, at: T0 + 2 * DAY });
const renewalFailed = [invoice("in_2", P1, false, P2), snapshot("past_due", P2, { at: P1 })];
const renewalRecovered = [invoice("in_2", P1, true, P2), snapshot("active", P2, { at: P1 + DAY })];

const LIFECYCLES: ReadonlyArray<{
  name: string;
  facts: SubscriptionFact[];
  status: SubscriptionStatus;
  endsAt: number | null;
  periodEnd: number | null;
}> = [
  { name: "started", facts: started, status: "active", endsAt: null, periodEnd: P1 },
  {
    name: "cancelled at period end",
    facts: [...started, cancelAtPeriodEnd],
    status: "canceling",
    endsAt: P1,
    periodEnd: P1,
  },
  {
    name: "cancelled, then ended",
    facts: [...started, cancelAtPeriodEnd, endedAtPeriodEnd],
    status: "canceled",
    endsAt: P1,
    periodEnd: P1,
  },
  { name: "ended at once", facts: [...started, endedEarly], status: "canceled", endsAt: T0 + 2 * DAY, periodEnd: P1 },
  { name: "renewal failed", facts: [...started, ...renewalFailed], status: "past_due", endsAt: null, periodEnd: P2 },
  {
    name: "renewal failed, then paid",
    facts: [...started, ...renewalFailed, ...renewalRecovered],
    status: "active",
    endsAt: null,
    periodEnd: P2,
  },
  {
    name: "checkout abandoned",
    facts: [{ kind: "checkout_expired" }],
    status: "expired",
    endsAt: null,
    periodEnd: null,
  },
];

function run(facts: readonly SubscriptionFact[]) {
  let state: SubscriptionState = INITIAL_SUBSCRIPTION;
  const effects: SubscriptionEffect[] = [];
  const moves: Array<[string, string]> = [];
  for (const fact of facts) {
    const transition = applySubscriptionFact(state, fact);
    if (transition.after.lifecycle !== state.lifecycle) moves.push([state.lifecycle, transition.after.lifecycle]);
    effects.push(...transition.effects);
    state = transition.after;
  }
  return { state, effects, moves };
}

describe("subscription state machine", () => {
  it("happy path: checkout, subscription and first invoice make it active and write SUBSCRIPTION_CREATED once", () => {
    const { state, effects } = run(started);
    expect(statusOf(state)).toBe("active");
    expect(effects).toEqual([{ type: "SUBSCRIPTION_CREATED", currentPeriodEnd: P1 }]);
  });

  it("announces creation only once the period end is known (a completed checkout alone does not say it)", () => {
    const completed = run([{ kind: "checkout_completed", settled: true }]);
    expect(completed.state.lifecycle).toBe("active");
    expect(completed.effects).toEqual([]);
    expect(applySubscriptionFact(completed.state, invoice("in_1", T0, true, P1)).effects).toEqual([
      { type: "SUBSCRIPTION_CREATED", currentPeriodEnd: P1 },
    ]);
  });

  it("cancel at period end writes SUBSCRIPTION_CANCELED with the period end; ending then changes nothing if the end is the same", () => {
    const { state, effects } = run([...started, cancelAtPeriodEnd]);
    expect(effects.at(-1)).toEqual({ type: "SUBSCRIPTION_CANCELED", endsAt: P1 });
    expect(applySubscriptionFact(state, endedAtPeriodEnd).effects).toEqual([]);
    expect(applySubscriptionFact(state, endedEarly).effects).toEqual([
      { type: "SUBSCRIPTION_CANCELED", endsAt: T0 + 2 * DAY },
    ]);
  });

  it("an old 'active' snapshot arriving after the cancellation does not undo it", () => {
    const cancelled = run([...started, cancelAtPeriodEnd]).state;
    const late = applySubscriptionFact(cancelled, snapshot("active", P1));
    expect(statusOf(late.after)).toBe("canceling");
    expect(late.changed).toBe(false);
  });

  it("a failed invoice seen after the same invoice paid leaves it paid", () => {
    const recovered = run([...started, ...renewalRecovered]).state;
    expect(statusOf(applySubscriptionFact(recovered, invoice("in_2", P1, false, P2)).after)).toBe("active");
  });

  it("property: 200 random orders (with redeliveries) of each real lifecycle end in the right state and events", () => {
    for (const lifecycle of LIFECYCLES) {
      for (let seed = 1; seed <= 200; seed += 1) {
        const facts = withRedeliveries(lifecycle.facts, seededRandom(seed * 104_729 + lifecycle.name.length));
        const { state, effects, moves } = run(facts);
        const context = `${lifecycle.name}, seed ${seed}: ${facts.map((fact) => (fact.kind === "snapshot" ? `snapshot:${fact.status}` : fact.kind)).join(" → ")}`;
        expect(statusOf(state), context).toBe(lifecycle.status);
        expect(endsAtOf(state), context).toBe(lifecycle.endsAt);
        expect(state.currentPeriodEnd, context).toBe(lifecycle.periodEnd);
        for (const [from, to] of moves)
          expect(canMove(from as never, to as never), `${context}: ${from} → ${to}`).toBe(true);
        const created = effects.filter((effect) => effect.type === "SUBSCRIPTION_CREATED");
        expect(created.length, context).toBe(lifecycle.status === "expired" ? 0 : 1);
        const cancelled = effects.filter((effect) => effect.type === "SUBSCRIPTION_CANCELED");
        // The last cancellation written names when access really ends; none while nothing ends.
        expect(cancelled.at(-1)?.endsAt ?? null, context).toBe(lifecycle.endsAt);
      }
    }
  });

  it("has the lifecycle order the schema's enum has", () => {
    expect(SUBSCRIPTION_LIFECYCLES).toEqual(["incomplete", "expired", "active", "canceling", "canceled"]);
  });
});
