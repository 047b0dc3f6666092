import WebSocket from "ws";
import type { LiveDeliveryFrame, LiveServerFrame, LiveTicketResponse } from "@platform/contracts";
import { api, gatewayUrl, newClientAddress } from "../../../../test/support/api.ts";
import type { Person } from "../../../../test/support/people.ts";

/**
 * One device's live socket through the gateway (docs/live.md), for the notifications platform tests: a ticket,
 * the upgrade, and the messages it receives, waited for by what they say.
 */
export interface LiveSocket {
  /** The first delivered message of this type that `matches` (arrived already, or arriving within the deadline). */
  message(
    type: string,
    matches?: (message: LiveDeliveryFrame["message"]) => boolean,
    timeoutMs?: number,
  ): Promise<LiveDeliveryFrame["message"]>;
  close(): void;
}

export async function openLive(person: Person): Promise<LiveSocket> {
  const ticket = await api<LiveTicketResponse>("POST", "/api/live/ticket", { token: person.token });
  if (ticket.status !== 200) throw new Error(`ticket answered ${ticket.status}`);
  const socket = new WebSocket(`${gatewayUrl.replace(/^http/, "ws")}${ticket.body.url}`, {
    headers: { "cf-connecting-ip": newClientAddress() },
  });
  const delivered: LiveDeliveryFrame["message"][] = [];
  const waiters: (() => void)[] = [];
  // Listening before `open`: frames can arrive with it.
  socket.on("message", (data) => {
    const text = data.toString();
    if (text === "pong") return;
    const frame = JSON.parse(text) as LiveServerFrame;
    if (frame.kind === "message") delivered.push(frame.message);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
  });
  return {
    async message(type, matches = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = delivered.find((message) => message.type === type && matches(message));
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no live "${type}" message within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => socket.close(),
  };
}
