import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { ProgressEnv } from "./env.ts";

export const app = createDomainApp<ProgressEnv, typeof schema>({ service: "progress", schema });
