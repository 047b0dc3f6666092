import { CLIENT_ADDRESS_HEADER, nextClientAddress } from "./client-addresses.ts";
import { Agent, request } from "node:http";
import type { LoadPlan, RawLoadResult } from "./load-types.ts";

const TIMEOUT_MS = 10_000;

/**
 * Open-loop load at an exact rate: request i is due at start + i/rate, evenly spaced, whether or
 * not earlier ones have been answered. Latency counts from when a request was due, so a server
 * (or client) that falls behind shows up as latency instead of silently lowering the rate.
 * autocannon's `overallRate` cannot do this: it gives each connection a per-second budget and
 * sends it back to back, so load arrives in bursts at the start of every second.
 */
export function pacedLoad(plan: LoadPlan & { readonly rate: number }): Promise<RawLoadResult> {
  const url = new URL(plan.url);
  // The connection count caps concurrency: when every socket is busy, requests wait (and that wait counts).
  const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
  const total = Math.round(plan.rate * plan.durationSeconds);
  const intervalMs = 1000 / plan.rate;
  const latencies = new Float64Array(total);
  const statusCounts: Record<number, number> = {};
  const headerCounts: Record<string, number> = {};
  const observed = plan.observeHeader?.toLowerCase();
  let answered = 0;
  let transportErrors = 0;
  let timeouts = 0;
  let sent = 0;
  let finished = 0;
  const start = performance.now();

  return new Promise<RawLoadResult>((resolve) => {
    const done = () => {
      if (++finished < total) return;
      clearInterval(ticker);
      agent.destroy();
      resolve({
        latenciesMs: latencies.slice(0, answered),
        statusCounts,
        transportErrors,
        timeouts,
        durationSeconds: (performance.now() - start) / 1000,
        ...(observed ? { headerCounts } : {}),
      });
    };

    const send = (dueAt: number, sequence: number) => {
      let settled = false;
      const settle = (outcome: { status: number } | "error" | "timeout") => {
        if (settled) return;
        settled = true;
        if (outcome === "error") transportErrors++;
        else if (outcome === "timeout") timeouts++;
        else {
          latencies[answered++] = performance.now() - dueAt;
          statusCounts[outcome.status] = (statusCounts[outcome.status] ?? 0) + 1;
        }
        done();
      };
      const i = sequence + (plan.firstSequence ?? 0);
      const variant = plan.headerVariants?.length ? plan.headerVariants[i % plan.headerVariants.length] : {};
      const headers = { ...plan.headers, ...variant, [CLIENT_ADDRESS_HEADER]: nextClientAddress() };
      const target = plan.urls?.length ? new URL(plan.urls[i % plan.urls.length] ?? plan.url) : url;
      const req = request(target, { agent, method: plan.method ?? "GET", timeout: TIMEOUT_MS, headers }, (res) => {
        if (observed) {
          const header = res.headers[observed];
          const value = (Array.isArray(header) ? header.join(", ") : header) ?? "(none)";
          headerCounts[value] = (headerCounts[value] ?? 0) + 1;
        }
        res.resume();
        res.once("end", () => settle({ status: res.statusCode ?? 0 }));
        res.once("error", () => settle("error"));
      });
      req.once("timeout", () => {
        settle("timeout");
        req.destroy();
      });
      req.once("error", () => settle("error"));
      req.end(plan.body);
    };

    // A 1 ms tick sends whatever has come due; timers are coarse, the due times are exact.
    const ticker = setInterval(() => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        send(start + sent * intervalMs, sent);
        sent += 1;
      }
    }, 1);
    if (total === 0) done();
  });
}
