import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { METRIC_CATALOGUE } from "@platform/http-kit";
import { BridgeMetrics } from "@platform/kafka-bridge";

/**
 * Dashboards and alerts as code (docs/alerts.md): the Prometheus rules pass promtool's own check and
 * unit tests, those unit tests really pin every alert (each rule is broken on purpose and the tests
 * must notice), and every rule and dashboard names only series the platform records, so renaming a
 * metric in the catalogue breaks this test rather than an alert or a panel, silently.
 */
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (relative: string) => readFileSync(join(REPO_ROOT, relative), "utf8");

const RULES_FILE = "deploy/prometheus/alerts.yml";
const RULES_TESTS_FILE = "deploy/prometheus/alerts.test.yml";
const DASHBOARDS_DIR = "deploy/grafana/dashboards";

// --- promtool ---

const PROMTOOL = process.env.PROMTOOL ?? "promtool";

/** Runs promtool; a missing binary fails the test with what to install (these tests never skip). */
function promtool(args: readonly string[], cwd = REPO_ROOT): { status: number | null; stdout: string; output: string } {
  const result = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? `promtool was not found (${PROMTOOL}). Install Debian's prometheus package (apt-get install prometheus), ` +
            "or set PROMTOOL to the binary."
        : `promtool could not run: ${result.error.message}`,
    );
  }
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

// --- The rules and their unit tests, as YAML ---

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface AlertRuleTest {
  alertname: string;
  exp_alerts?: unknown[];
}
interface RuleTestCase {
  name: string;
  alert_rule_test?: AlertRuleTest[];
}
interface RuleTestFile {
  rule_files: string[];
  tests: RuleTestCase[];
}

const rules = parse(read(RULES_FILE)) as RuleFile;
const ruleTests = parse(read(RULES_TESTS_FILE)) as RuleTestFile;
const allRules = rules.groups.flatMap((group) => group.rules);
const alerts = allRules.filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
const recordedNames = allRules.flatMap((rule) => (rule.record ? [rule.record] : []));

const firesIn = (test: RuleTestCase, alert: string) =>
  (test.alert_rule_test ?? []).some((check) => check.alertname === alert && (check.exp_alerts ?? []).length > 0);
const checks = (test: RuleTestCase, alert: string) =>
  (test.alert_rule_test ?? []).some((check) => check.alertname === alert);
const firingTests = (alert: string) => ruleTests.tests.filter((test) => firesIn(test, alert));
const quietTests = (alert: string) => ruleTests.tests.filter((test) => checks(test, alert) && !firesIn(test, alert));

// --- Metric names in PromQL ---

const bridgeNames = [...new BridgeMetrics([]).render().matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]);
const catalogueNames = Object.entries(METRIC_CATALOGUE).flatMap(([name, definition]) =>
  definition.kind === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
);
const KNOWN_NAMES = new Set([...catalogueNames, ...bridgeNames, ...recordedNames, "up"]);

const PROMQL_WORDS = new Set([
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "inf",
  "nan",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
]);

/**
 * The metric names an expression selects. Not a PromQL parser, but enough for these files: strings,
 * label matchers, ranges, label lists (`by (…)`) and Grafana variables are dropped, then what is left
 * that is neither a function call nor a keyword is a metric name.
 */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, " ")
    .replace(/\$\{?\w+\}?/g, " ");
  const names = [...bare.matchAll(/(?<![\w:.])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)]
    .map((match) => match[0])
    .filter((word) => !PROMQL_WORDS.has(word.toLowerCase()));
  return [...new Set(names)];
}

const unknownNamesIn = (expr: string) => metricNamesIn(expr).filter((name) => !KNOWN_NAMES.has(name));

describe("finding metric names in PromQL", () => {
  it("finds the selected series and nothing else (functions, label lists, strings, durations, variables)", () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{service="$service", route=~"/api/{id}"}[$__rate_interval])))',
      ),
    ).toEqual(["http_request_duration_seconds_bucket"]);
    expect(
      metricNamesIn("service:http_requests_5xx:rate5m / on (service) group_left service:http_requests:rate5m > 1e-3"),
    ).toEqual(["service:http_requests_5xx:rate5m", "service:http_requests:rate5m"]);
    expect(metricNamesIn("count(up == 0) or vector(0)")).toEqual(["up"]);
  });

  it("reports a renamed metric, a histogram without its suffix and an undeclared bridge series", () => {
    expect(unknownNamesIn('sum(rate(http_request_total{code=~"5.."}[5m]))')).toEqual(["http_request_total"]);
    expect(unknownNamesIn("rate(http_request_duration_seconds[5m])")).toEqual(["http_request_duration_seconds"]);
    expect(unknownNamesIn("kafka_bridge_outbox_lag")).toEqual(["kafka_bridge_outbox_lag"]);
    expect(unknownNamesIn("kafka_bridge_outbox_lag_events + outbox_pending_events")).toEqual([]);
  });
});

// --- The rules ---

describe(`Prometheus rules (${RULES_FILE})`, () => {
  it("pass `promtool check rules`", () => {
    const { status, output } = promtool(["check", "rules", RULES_FILE]);
    expect(status, output).toBe(0);
  });

  it(`pass their unit tests: \`promtool test rules ${RULES_TESTS_FILE}\``, () => {
    const { status, output } = promtool(["test", "rules", RULES_TESTS_FILE]);
    expect(status, output).toBe(0);
    expect(output).toContain("SUCCESS");
  });

  it("select only series the platform records (the metric catalogue, the Kafka bridge, `up`, their own recordings)", () => {
    const unknown = allRules.flatMap((rule) =>
      unknownNamesIn(rule.expr).map((name) => `${rule.alert ?? rule.record}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it("are the alerts the runbook describes", () => {
    expect(alerts.map((alert) => alert.alert).sort()).toEqual([
      "DeadLettersPresent",
      "HighErrorRatio",
      "HighP99Latency",
      "KafkaBridgeDependencyDown",
      "KafkaRelayLagging",
      "MetricsScrapeErrors",
      "OutboxEventsStuck",
      "SignInLockoutSpike",
      "StripeWebhookFailures",
      "TargetDown",
    ]);
  });

  const runbook = read("docs/alerts.md");
  const anchors = new Set(
    [...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((match) =>
      (match[1] ?? "")
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-"),
    ),
  );

  it.each(alerts.map((alert) => [alert.alert, alert] as const))(
    "%s waits (for:), has a severity, a summary, and a description naming its runbook section",
    (_name, alert) => {
      expect(alert.for).toMatch(/^[1-9]\d*[smh]$/);
      expect(["critical", "warning"]).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary).toBeTruthy();
      const anchor = /Runbook: docs\/alerts\.md#([\w-]+)$/.exec(alert.annotations?.description ?? "")?.[1];
      expect(anchor, "the description ends with `Runbook: docs/alerts.md#<section>`").toBeDefined();
      expect([...anchors], "docs/alerts.md has that section").toContain(anchor);
    },
  );

  it.each(alerts.map((alert) => alert.alert))("%s has unit tests where it fires and where it stays quiet", (name) => {
    expect(firingTests(name).map((test) => test.name)).not.toEqual([]);
    expect(quietTests(name).map((test) => test.name)).not.toEqual([]);
  });
});

/**
 * Each alert is broken three ways and the unit tests must notice every one: never firing (its firing
 * cases fail), its threshold gone (its quiet cases fail: they stay below it), and no `for:` (the
 * checks that it is only pending before then fail). One promtool run checks every mutant; its stdout
 * names each test file and prints SUCCESS under those that passed.
 */
describe("the rule unit tests pin every alert", () => {
  type Mutation = "never fires" | "no threshold" | "no wait";
  const MUTATIONS: Record<Mutation, { mutate: (rule: Rule) => Rule; tests: (alert: string) => RuleTestCase[] }> = {
    "never fires": { mutate: (rule) => ({ ...rule, expr: "vector(1) < 0" }), tests: firingTests },
    "no threshold": {
      // Every alert ends with its comparison (`… > 0.05`); `>= 0` lets any sample through. An alert written
      // otherwise is left as it is, so its mutant passes and this test says so.
      mutate: (rule) => ({ ...rule, expr: rule.expr.replace(/\s*(?:>|==)\s*[\d.]+\s*$/, " >= 0") }),
      tests: quietTests,
    },
    "no wait": {
      mutate: (rule) => ({ ...rule, for: "0s" }),
      tests: (alert) => [...firingTests(alert), ...quietTests(alert)],
    },
  };
  const mutantFile = (alert: string, mutation: Mutation) => `${alert}.${mutation.replace(/ /g, "-")}`;

  /** Writes every mutant and a control, and runs promtool on them all: test file → whether its tests passed. */
  function runMutants(): { passed: Map<string, boolean>; ruleFilesCheck: string } {
    const dir = mkdtempSync(join(tmpdir(), "promtool-mutants-"));
    try {
      const testFiles: string[] = [];
      const ruleFiles: string[] = [];
      const write = (base: string, ruleFile: RuleFile, tests: RuleTestCase[]) => {
        writeFileSync(join(dir, `${base}.rules.yml`), stringify(ruleFile));
        writeFileSync(
          join(dir, `${base}.test.yml`),
          stringify({ ...ruleTests, rule_files: [`${base}.rules.yml`], tests }),
        );
        ruleFiles.push(`${base}.rules.yml`);
        testFiles.push(`${base}.test.yml`);
      };
      for (const { alert } of alerts) {
        for (const mutation of Object.keys(MUTATIONS) as Mutation[]) {
          const { mutate, tests } = MUTATIONS[mutation];
          const groups = rules.groups.map((group) => ({
            ...group,
            rules: group.rules.map((rule) => (rule.alert === alert ? mutate(rule) : rule)),
          }));
          write(mutantFile(alert, mutation), { groups }, tests(alert));
        }
      }
      // The control: the rules as they are, written and read the same way, must pass.
      write("control", rules, ruleTests.tests);
      // A mutant that did not even load would "fail" its tests for the wrong reason.
      const check = promtool(["check", "rules", ...ruleFiles], dir);
      const { stdout } = promtool(["test", "rules", ...testFiles], dir);
      const passed = new Map<string, boolean>();
      for (const section of stdout.split(/^Unit Testing:\s+/m).slice(1)) {
        const [file = "", ...rest] = section.split("\n");
        passed.set(file.trim().replace(/\.test\.yml$/, ""), rest.join("\n").includes("SUCCESS"));
      }
      return { passed, ruleFilesCheck: check.status === 0 ? "" : check.output };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Run once, on first use (not in a hook: a hook's failure would report these tests as skipped, not failed).
  let verdicts: ReturnType<typeof runMutants> | undefined;
  const mutants = () => (verdicts ??= runMutants());

  it("every mutant is a valid rule file, and the unmutated copy passes in the same run", () => {
    const { ruleFilesCheck, passed } = mutants();
    expect(ruleFilesCheck).toBe("");
    expect(passed.get("control")).toBe(true);
  }, 120_000);

  it.each(alerts.map((alert) => alert.alert))(
    "%s: never firing, no threshold and no `for:` each fail its tests",
    (alert) => {
      const { passed } = mutants();
      for (const mutation of Object.keys(MUTATIONS) as Mutation[]) {
        expect(passed.get(mutantFile(alert, mutation)), `${alert} (${mutation}): promtool's verdict`).toBe(false);
      }
    },
    120_000,
  );
});

// --- The dashboards ---

interface Target {
  datasource?: { type?: string; uid?: string };
  expr?: string;
}
interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  datasource?: { uid?: string };
  query?: string | { query?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating?: { list: Variable[] };
}

const provisionedPrometheusUid = (
  parse(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as {
    datasources: { type: string; uid?: string }[];
  }
).datasources.find((source) => source.type === "prometheus")?.uid;

const dashboardFiles = readdirSync(join(REPO_ROOT, DASHBOARDS_DIR))
  .filter((file) => file.endsWith(".json"))
  .sort();
const dashboards = dashboardFiles.map(
  (file) => [file, JSON.parse(read(`${DASHBOARDS_DIR}/${file}`)) as Dashboard] as const,
);

const panelsOf = (panels: readonly Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
const queryPanels = (dashboard: Dashboard) => panelsOf(dashboard.panels).filter((panel) => panel.type !== "row");
const variableQuery = (variable: Variable) =>
  typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
/** Every PromQL expression a dashboard runs; `label_values(metric, label)` contributes its metric selector. */
function expressionsOf(dashboard: Dashboard): string[] {
  const panelExprs = queryPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => target.expr ?? ""),
  );
  const variableExprs = (dashboard.templating?.list ?? [])
    .filter((variable) => variable.type === "query")
    .map((variable) => variableQuery(variable).replace(/^label_values\((.*),\s*\w+\)$/, "$1"));
  return [...panelExprs, ...variableExprs];
}

describe(`Grafana dashboards (${DASHBOARDS_DIR})`, () => {
  it("are provisioned from /var/lib/grafana/dashboards, and the Prometheus data source has a uid", () => {
    const provider = (
      parse(read("deploy/grafana/provisioning/dashboards/dashboards.yml")) as {
        providers: { type: string; options: { path: string } }[];
      }
    ).providers;
    expect(provider).toMatchObject([{ type: "file", options: { path: "/var/lib/grafana/dashboards" } }]);
    expect(provisionedPrometheusUid).toBeTruthy();
  });

  it("are the four dashboards, each with its own uid and title", () => {
    expect(dashboards.map(([, dashboard]) => dashboard.title).sort()).toEqual([
      "Events pipeline",
      "Payments",
      "Platform overview",
      "Service RED",
    ]);
    const uids = dashboards.map(([, dashboard]) => dashboard.uid);
    expect(new Set(uids).size).toBe(dashboards.length);
    for (const uid of uids) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
  });

  it("offer a `service` choice on the per-service RED dashboard", () => {
    const red = dashboards.find(([, dashboard]) => dashboard.uid === "service-red")?.[1];
    expect(red?.templating?.list.map((variable) => variable.name)).toContain("service");
    const perService = queryPanels(red as Dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => target.expr),
    );
    for (const expr of perService) expect(expr).toContain('service="$service"');
  });

  it.each(dashboards)(
    "%s: a current JSON model, stable unique panel ids, nothing imported from elsewhere",
    (file, dashboard) => {
      expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
      const ids = panelsOf(dashboard.panels).map((panel) => panel.id);
      for (const id of ids) expect(Number.isInteger(id), `${file}: every panel has an integer id`).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const text = read(`${DASHBOARDS_DIR}/${file}`);
      expect(text).not.toMatch(/__inputs|__requires|\$\{DS_|gnetId|https?:\/\//);
    },
  );

  it.each(dashboards)(
    "%s: every panel, query and variable uses the provisioned Prometheus data source",
    (file, dashboard) => {
      const wrong = [
        ...queryPanels(dashboard).flatMap((panel) => [
          ...(panel.datasource?.uid === provisionedPrometheusUid ? [] : [`panel ${panel.id}`]),
          ...((panel.targets ?? []).length === 0 ? [`panel ${panel.id} has no query`] : []),
          ...(panel.targets ?? [])
            .filter((target) => target.datasource?.uid !== provisionedPrometheusUid)
            .map(() => `a query of panel ${panel.id}`),
        ]),
        ...(dashboard.templating?.list ?? [])
          .filter((variable) => variable.type === "query" && variable.datasource?.uid !== provisionedPrometheusUid)
          .map((variable) => `variable ${variable.name}`),
      ];
      expect(wrong, file).toEqual([]);
    },
  );

  it.each(dashboards)("%s: every query selects only series the platform records", (file, dashboard) => {
    const exprs = expressionsOf(dashboard);
    expect(exprs.length).toBeGreaterThan(0);
    expect(exprs.flatMap(unknownNamesIn), file).toEqual([]);
  });

  it("every dashboard query is valid PromQL (checked by promtool as recording rules, variables filled in)", () => {
    const dir = mkdtempSync(join(tmpdir(), "dashboard-promql-"));
    try {
      const rulesOf = dashboards.flatMap(([file, dashboard]) =>
        expressionsOf(dashboard).map((expr, index) => ({
          record: `dashboard:${file.replace(/\W/g, "_")}:${index}`,
          expr: expr.replace(/\$__(?:rate_interval|interval|range)\b/g, "5m").replace(/\$\{?\w+\}?/g, "value"),
        })),
      );
      writeFileSync(join(dir, "dashboards.yml"), stringify({ groups: [{ name: "dashboards", rules: rulesOf }] }));
      const { status, output } = promtool(["check", "rules", "dashboards.yml"], dir);
      expect(status, output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
