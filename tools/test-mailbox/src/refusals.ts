import type { RefusalRule } from "./types.ts";

interface ActiveRule extends RefusalRule {
  remaining: number;
}

/** The refusals tests scripted, consumed in order; a rule with `times` runs out, one without does not. */
export class Refusals {
  private rules: ActiveRule[] = [];

  add(rule: RefusalRule): void {
    if (!["mail", "rcpt", "data"].includes(rule.stage)) throw new Error(`unknown stage ${String(rule.stage)}`);
    if (!Number.isInteger(rule.code) || rule.code < 400 || rule.code > 599) throw new Error("code must be 4xx or 5xx");
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
      throw new Error("times must be a positive integer");
    }
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** The refusal due for this stage and these addresses, if any (and counts it). */
  take(stage: RefusalRule["stage"], addresses: readonly string[]): RefusalRule | null {
    const lower = addresses.map((address) => address.toLowerCase());
    const rule = this.rules.find(
      (each) =>
        each.stage === stage && each.remaining > 0 && (!each.address || lower.includes(each.address.toLowerCase())),
    );
    if (!rule) return null;
    rule.remaining -= 1;
    return rule;
  }
}

/** The error smtp-server turns into the reply `code message`. */
export function refusalError(rule: RefusalRule): Error {
  const error = new Error(rule.message ?? (rule.code < 500 ? "Try again later (scripted)" : "Refused (scripted)"));
  return Object.assign(error, { responseCode: rule.code });
}
