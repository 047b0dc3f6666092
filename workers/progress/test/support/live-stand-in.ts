import type { LiveMessage } from "@platform/contracts";

/**
 * The LIVE_HUB namespace as the progress routes use it (`idFromName`, `get`, `publish`), keeping
 * what each learner was sent; `failing` makes every publish throw, as an unreachable hub would.
 */
export function recordingHubs() {
  const sent: { userId: string; message: LiveMessage }[] = [];
  const hubs = {
    sent,
    failing: false,
    messagesOf: (userId: string) => sent.filter((entry) => entry.userId === userId).map((entry) => entry.message),
    namespace: {
      idFromName: (name: string) => name,
      get: (userId: string) => ({
        publish: async (message: LiveMessage) => {
          if (hubs.failing) throw new Error("the hub cannot be reached");
          sent.push({ userId, message });
        },
      }),
    },
  };
  return hubs;
}
