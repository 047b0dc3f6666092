import { parseArgs } from "node:util";

export interface CliOptions {
  readonly only: readonly string[];
  readonly quick: boolean;
  /** Where RESULTS.md and results.json go; `undefined` lets the caller pick the default. */
  readonly out: string | undefined;
  readonly list: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run bench [-- options]

  --only <name>   run only this scenario (repeat, or separate names by commas)
  --quick         short runs, to check the harness works; the figures are not for the record
  --out <dir>     write RESULTS.md and results.json here
                  (default: docs/bench for a full run, a temporary folder for --quick or --only)
  --list          list the scenarios and exit
  --help          show this and exit`;

export function parseCli(args: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      only: { type: "string", multiple: true },
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    only: (values.only ?? [])
      .flatMap((names) => names.split(","))
      .map((name) => name.trim())
      .filter(Boolean),
    quick: values.quick ?? false,
    out: values.out,
    list: values.list ?? false,
    help: values.help ?? false,
  };
}
