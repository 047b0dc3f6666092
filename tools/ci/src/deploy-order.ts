import type { WorkerConfig } from "./wrangler-config.ts";

/**
 * The order to deploy workers in: a worker after the workers it binds to, so a binding never names a
 * worker that is not there yet (Cloudflare refuses it on a first deployment) and a caller never runs
 * against an older callee than it was built for.
 *
 * The bindings have cycles (users ⇄ courses, auth ⇄ notifications, the site ⇄ the gateway): each cycle
 * (a strongly connected component) is deployed as a group, its members in the order given, and the groups
 * in dependency order. Bindings to workers not in the list (deployed elsewhere) are ignored.
 */
export function deployOrder<T extends Pick<WorkerConfig, "name" | "bindsTo">>(workers: readonly T[]): T[] {
  const byName = new Map(workers.map((worker) => [worker.name, worker]));
  if (byName.size !== workers.length) throw new Error("two workers have the same name");
  const position = new Map(workers.map((worker, index) => [worker.name, index]));
  const edges = (worker: T) => worker.bindsTo.filter((name) => byName.has(name) && name !== worker.name);

  // Tarjan's algorithm emits components callee-first: exactly the deploy order between groups.
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (name: string) => {
    index.set(name, next);
    lowLink.set(name, next);
    next += 1;
    stack.push(name);
    onStack.add(name);
    for (const callee of edges(byName.get(name) as T)) {
      if (!index.has(callee)) {
        visit(callee);
        lowLink.set(name, Math.min(lowLink.get(name) as number, lowLink.get(callee) as number));
      } else if (onStack.has(callee)) {
        lowLink.set(name, Math.min(lowLink.get(name) as number, index.get(callee) as number));
      }
    }
    if (lowLink.get(name) === index.get(name)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== name);
      groups.push(group.sort((a, b) => (position.get(a) as number) - (position.get(b) as number)));
    }
  };
  for (const worker of workers) if (!index.has(worker.name)) visit(worker.name);
  return groups.flat().map((name) => byName.get(name) as T);
}
