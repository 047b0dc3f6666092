import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { BROKER_POM } from "./paths.ts";

const run = promisify(execFile);

export interface ClasspathOptions {
  readonly version: string;
  readonly cacheDir: string;
  readonly say?: (message: string) => void;
}

/** A change to pom.xml must not reuse a classpath resolved from the old one. */
function cacheFileFor(version: string, cacheDir: string): string {
  const pomHash = createHash("sha256").update(readFileSync(BROKER_POM)).digest("hex").slice(0, 12);
  return join(cacheDir, `classpath-${version}-${pomHash}.txt`);
}

function usableClasspath(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const classpath = readFileSync(file, "utf8").trim();
  const jars = classpath.split(":").filter(Boolean);
  // A cleaned ~/.m2 leaves a cache that names missing jars: resolve again rather than fail at start.
  return jars.length > 0 && jars.every((jar) => existsSync(jar)) ? classpath : undefined;
}

/**
 * The broker's classpath: the jars of `org.apache.kafka:kafka_2.13:<version>` and its logging,
 * resolved from Maven Central by Maven itself (so they land in ~/.m2 like any Java dependency)
 * and cached as a plain file. Maven runs only when the cache is missing or stale.
 */
export async function brokerClasspath({ version, cacheDir, say }: ClasspathOptions): Promise<string> {
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(version)) throw new Error(`Not a Kafka version: ${JSON.stringify(version)}`);
  mkdirSync(cacheDir, { recursive: true });
  const cacheFile = cacheFileFor(version, cacheDir);
  const cached = usableClasspath(cacheFile);
  if (cached) return cached;

  say?.(`Resolving Apache Kafka ${version} from Maven Central (once; cached in ${cacheDir}) …`);
  // Written aside and renamed, so a concurrent start never reads half a file.
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    await run(
      "mvn",
      [
        "-q",
        "-B",
        "-f",
        BROKER_POM,
        `-Dkafka.version=${version}`,
        "dependency:build-classpath",
        `-Dmdep.outputFile=${partial}`,
      ],
      { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    rmSync(partial, { force: true });
    const detail = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (detail.code === "ENOENT") {
      throw new Error(
        "Maven (mvn) was not found. A local Kafka broker needs Maven 3 and Java 17 or newer on the PATH.",
        {
          cause: error,
        },
      );
    }
    const output = `${detail.stdout ?? ""}${detail.stderr ?? ""}`.trim().split("\n").slice(-20).join("\n");
    throw new Error(`Maven could not resolve Apache Kafka ${version}:\n${output}`, { cause: error });
  }
  renameSync(partial, cacheFile);
  const classpath = usableClasspath(cacheFile);
  if (!classpath) throw new Error(`Maven wrote an unusable classpath for Kafka ${version} (${cacheFile}).`);
  return classpath;
}
