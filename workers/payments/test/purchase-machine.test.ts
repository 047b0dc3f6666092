import { describe, expect, it } from "vitest";
import {
  PURCHASE_STATUSES,
  applyPurchaseFact,
  canMove,
  movesFrom,
  type PurchaseEffect,
  type PurchaseFact,
  type PurchaseStatus,
} from "../src/purchase-machine.ts";
import { seededRandom, shuffled, withRedeliveries } from "./support/random.ts";

const completedPaid: PurchaseFact = { kind: "completed", settled: true };
const completedUnsettled: PurchaseFact = { kind: "completed", settled: false };
const succeeded: PurchaseFact = { kind: "async_payment_succeeded" };
const failed: PurchaseFact = { kind: "async_payment_failed" };
const expired: PurchaseFact = { kind: "expired" };
const refunded: PurchaseFact = { kind: "refunded" };
const disputed: PurchaseFact = { kind: "disputed" };

/** Lifecycles Stripe can really produce for one purchase, and where each must end. */
const LIFECYCLES: ReadonlyArray<{ name: string; facts: PurchaseFact[]; ends: PurchaseStatus; access: boolean }> = [
  { name: "card payment", facts: [completedPaid], ends: "paid", access: true },
  { name: "card payment, refunded", facts: [completedPaid, refunded], ends: "refunded", access: false },
  { name: "card payment, disputed", facts: [completedPaid, disputed], ends: "disputed", access: true },
  {
    name: "card payment, disputed, refunded",
    facts: [completedPaid, disputed, refunded],
    ends: "refunded",
    access: false,
  },
  { name: "bank debit settles", facts: [completedUnsettled, succeeded], ends: "paid", access: true },
  { name: "bank debit fails", facts: [completedUnsettled, failed], ends: "failed", access: false },
  {
    name: "bank debit settles, refunded",
    facts: [completedUnsettled, succeeded, refunded],
    ends: "refunded",
    access: false,
  },
  { name: "bank debit still settling", facts: [completedUnsettled], ends: "processing", access: false },
  { name: "checkout abandoned", facts: [expired], ends: "expired", access: false },
];

interface Run {
  readonly status: PurchaseStatus;
  readonly effects: PurchaseEffect[];
  readonly moves: Array<[PurchaseStatus, PurchaseStatus]>;
}

function run(facts: readonly PurchaseFact[]): Run {
  let status: PurchaseStatus = "pending";
  const effects: PurchaseEffect[] = [];
  const moves: Array<[PurchaseStatus, PurchaseStatus]> = [];
  for (const fact of facts) {
    const transition = applyPurchaseFact(status, fact);
    if (transition.changed) moves.push([transition.from, transition.to]);
    effects.push(...transition.effects);
    status = transition.to;
  }
  return { status, effects, moves };
}

/**
 * What the courses service ends with, whatever order the events reach it in: a purchase grants
 * unless its refund has been seen (a refund seen first leaves a revoked grant that the purchase
 * then finds), as workers/courses/src/enrollments.ts does.
 */
function accessAfter(effects: readonly PurchaseEffect[], random: () => number): boolean {
  let grant: "none" | "active" | "revoked" = "none";
  for (const effect of shuffled(effects, random)) {
    if (effect === "COURSE_PURCHASED" && grant === "none") grant = "active";
    if (effect === "PAYMENT_REFUNDED") grant = "revoked";
  }
  return grant === "active";
}

describe("purchase state machine", () => {
  it("happy path: a card payment is paid once, and writes COURSE_PURCHASED once", () => {
    const result = run([completedPaid]);
    expect(result.status).toBe("paid");
    expect(result.effects).toEqual(["COURSE_PURCHASED"]);
  });

  it("a refund seen before the completion ends refunded, never paid, and grants nothing", () => {
    const result = run([refunded, completedPaid]);
    expect(result.status).toBe("refunded");
    expect(result.effects).toEqual(["PAYMENT_REFUNDED"]);
  });

  it("a late completion after a refund changes nothing", () => {
    const refundedAfterPaying = run([completedPaid, refunded]);
    const transition = applyPurchaseFact(refundedAfterPaying.status, completedPaid);
    expect(transition).toMatchObject({ changed: false, to: "refunded", effects: [] });
  });

  it("a dispute seen first still records the purchase once, so access does not depend on the order", () => {
    expect(run([disputed, completedPaid]).effects).toEqual(["COURSE_PURCHASED"]);
    expect(run([completedPaid, disputed]).effects).toEqual(["COURSE_PURCHASED"]);
  });

  it("only ever moves up the order; nothing leaves refunded", () => {
    for (const from of PURCHASE_STATUSES) {
      for (const to of PURCHASE_STATUSES)
        expect(canMove(from, to)).toBe(PURCHASE_STATUSES.indexOf(to) > PURCHASE_STATUSES.indexOf(from));
    }
    expect(movesFrom("refunded")).toEqual([]);
    expect(movesFrom("pending")).toEqual(PURCHASE_STATUSES.filter((status) => status !== "pending"));
  });

  it("property: 200 random orders (with redeliveries) of each real lifecycle end in the right state, events and access", () => {
    for (const lifecycle of LIFECYCLES) {
      for (let seed = 1; seed <= 200; seed += 1) {
        const random = seededRandom(seed * 7919 + lifecycle.name.length);
        const facts = withRedeliveries(lifecycle.facts, random);
        const result = run(facts);
        const context = `${lifecycle.name}, seed ${seed}: ${facts.map((fact) => fact.kind).join(" → ")}`;
        expect(result.status, context).toBe(lifecycle.ends);
        for (const [from, to] of result.moves) expect(canMove(from, to), `${context}: ${from} → ${to}`).toBe(true);
        const purchased = result.effects.filter((effect) => effect === "COURSE_PURCHASED").length;
        const refunds = result.effects.filter((effect) => effect === "PAYMENT_REFUNDED").length;
        expect(purchased, context).toBeLessThanOrEqual(1);
        expect(refunds, context).toBe(lifecycle.ends === "refunded" ? 1 : 0);
        if (lifecycle.access) expect(purchased, context).toBe(1);
        // However the courses service receives them, access follows the final state.
        expect(accessAfter(result.effects, random), context).toBe(lifecycle.access);
      }
    }
  });
});
