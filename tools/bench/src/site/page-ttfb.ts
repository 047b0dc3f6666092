import { nextClientAddress } from "../client-addresses.ts";
import { courseEditor } from "./course-editor.ts";
import {
  firstRenderAfterChange,
  summarizeTtfb,
  timeToFirstByte,
  ttfbAgent,
  type TtfbSample,
  type TtfbSeries,
} from "./ttfb.ts";

/** Recorded answers per page and round: cached ones are cheap; each uncached one waits for a change to land. */
const CACHED_PER_ROUND = 25;
const UNCACHED_PER_ROUND = 10;
/** Unrecorded requests for a page before its cached series: the first after a change renders it again. */
const WARM_UP_REQUESTS = 3;

interface SitePage {
  readonly page: string;
  readonly path: string;
}

/**
 * Time to first byte of each page, one request at a time through the gateway, each from a client address
 * of its own:
 * - **cached**: the page's address asked again and again, so whatever the site keeps of it answers;
 * - **uncached**: after the demo course changed through the API (course-editor.ts), the first answer that
 *   is the page rendered again rather than a kept copy, as the first visitor after a change meets it.
 * Rounds alternate which kind and which page come first, as the load scenarios alternate targets, so
 * drift on a shared machine falls on every series alike. The demo course's summary is put back at the end.
 */
export async function measureTtfb(
  baseUrl: string,
  pages: readonly SitePage[],
  rounds: number,
  say: (message: string) => void,
): Promise<Map<string, { readonly cached: TtfbSeries; readonly uncached: TtfbSeries }>> {
  const agent = ttfbAgent();
  const headers = () => ({ "cf-connecting-ip": nextClientAddress() });
  const urlOf = (path: string) => new URL(path, baseUrl);
  const cached = new Map<string, TtfbSample[]>(pages.map(({ page }) => [page, []]));
  const uncached = new Map<string, TtfbSample[]>(pages.map(({ page }) => [page, []]));
  const notRefreshed = new Map<string, number>(pages.map(({ page }) => [page, 0]));
  const editor = await courseEditor(baseUrl);
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? pages : [...pages].reverse();
      const cachedRound = async () => {
        say(`time to first byte, round ${round + 1} of ${rounds}: cached …`);
        for (const { page, path } of order) {
          for (let i = 0; i < WARM_UP_REQUESTS; i++) await timeToFirstByte(urlOf(path), agent, headers());
          for (let i = 0; i < CACHED_PER_ROUND; i++) {
            cached.get(page)?.push(await timeToFirstByte(urlOf(path), agent, headers()));
          }
        }
      };
      const uncachedRound = async () => {
        say(`time to first byte, round ${round + 1} of ${rounds}: uncached (after ${UNCACHED_PER_ROUND} changes) …`);
        for (let i = 0; i < UNCACHED_PER_ROUND; i++) {
          await editor.change();
          for (const { page, path } of order) {
            const sample = await firstRenderAfterChange(urlOf(path), agent, headers);
            if (sample) uncached.get(page)?.push(sample);
            else notRefreshed.set(page, (notRefreshed.get(page) ?? 0) + 1);
          }
        }
      };
      if (round % 2 === 0) {
        await cachedRound();
        await uncachedRound();
      } else {
        await uncachedRound();
        await cachedRound();
      }
    }
  } finally {
    agent.destroy();
    // A throw-away stack: if the API is gone, the error that stopped the rounds is the one worth reading.
    await editor.restore().catch(() => {});
  }
  return new Map(
    pages.map(({ page }) => [
      page,
      {
        cached: summarizeTtfb(cached.get(page) ?? []),
        uncached: summarizeTtfb(uncached.get(page) ?? [], notRefreshed.get(page) ?? 0),
      },
    ]),
  );
}
