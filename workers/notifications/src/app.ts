import { createDomainApp } from "@platform/service-kit";
import * as schema from "./db/schema.ts";
import type { NotificationsEnv } from "./env.ts";

export const app = createDomainApp<NotificationsEnv, typeof schema>({ service: "notifications", schema });
