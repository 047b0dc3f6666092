import { existsSync } from "node:fs";

/**
 * Debian's Chromium (`apt-get install chromium`), as the browser tests use it (test/support/browser.ts);
 * `CHROMIUM_PATH` points elsewhere. Nothing here downloads a browser.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Chromium's sandbox refuses to run as root; as any other user it stays on. */
export const CHROMIUM_NEEDS_NO_SANDBOX = process.getuid?.() === 0;

export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The site scenario needs Chromium at ${CHROMIUM_PATH}: on Debian \`apt-get install chromium\` ` +
        "(.ci/run does it), elsewhere set CHROMIUM_PATH.",
    );
  }
  return CHROMIUM_PATH;
}
