import { OpenAPIHono } from "@hono/zod-openapi";
import type { DatabaseBindings } from "@platform/db";
import { ProblemError, requirePrincipal } from "@platform/http-kit";
import { anyRole, defineRoute, json, problem, publicAccess, signedIn, type DomainEnv } from "@platform/service-kit";
import type * as schema from "../db/schema.ts";
import { certificatesOf, findCertificate, revokeCertificate } from "./certificates.ts";
import {
  certificateIdParam,
  certificatePage,
  certificateSchema,
  pageQuery,
  presentCertificate,
  revokeBody,
} from "./schemas.ts";

/**
 * A certificate's public page may be kept by an edge for a second, like the catalog: a
 * revocation shows within about a second. Lists of one's own are never kept.
 */
const PUBLIC_READ = "public, max-age=0, s-maxage=1";
const PERSONAL_READ = "private, no-store";

const show = defineRoute(publicAccess("anyone shown a certificate may check it"), {
  method: "get",
  operationId: "getCertificate",
  path: "/api/progress/certificates/{id}",
  summary: "A certificate: who completed which course when, the signed credential, and whether it was revoked",
  tags: ["certificates"],
  request: { params: certificateIdParam },
  responses: {
    200: { description: "The certificate", content: json(certificateSchema) },
    400: problem("Invalid id"),
    404: problem("No such certificate"),
  },
});

const mine = defineRoute(signedIn, {
  method: "get",
  operationId: "listMyCertificates",
  path: "/api/progress/certificates",
  summary: "Your certificates, the newest first",
  tags: ["certificates"],
  request: { query: pageQuery },
  responses: {
    200: { description: "A page of your certificates", content: json(certificatePage) },
    400: problem("Invalid query"),
  },
});

const revoke = defineRoute(anyRole(["admin"], "Only an admin can revoke a certificate."), {
  method: "post",
  operationId: "revokeCertificate",
  path: "/api/progress/certificates/{id}/revoke",
  summary: "Revoke a certificate (admins); its public page then says so, with the reason",
  tags: ["certificates"],
  request: { params: certificateIdParam, body: { required: true, content: json(revokeBody) } },
  responses: {
    200: {
      description: "The revoked certificate (a second revocation keeps the first)",
      content: json(certificateSchema),
    },
    400: problem("Invalid id or reason"),
    404: problem("No such certificate"),
  },
});

const noSuchCertificate = () => new ProblemError("not-found", { detail: "No such certificate." });

export const certificateRoutes = new OpenAPIHono<DomainEnv<DatabaseBindings, typeof schema>>()
  .openapi(show, async (c) => {
    const certificate = await findCertificate(c.var.database().db, c.req.valid("param").id);
    if (!certificate) throw noSuchCertificate();
    c.header("cache-control", PUBLIC_READ);
    return c.json(presentCertificate(certificate), 200);
  })
  .openapi(mine, async (c) => {
    const { userId } = requirePrincipal(c);
    const page = await certificatesOf(c.var.database().db, userId, c.req.valid("query"));
    c.header("cache-control", PERSONAL_READ);
    return c.json({ items: page.items.map(presentCertificate), nextCursor: page.nextCursor }, 200);
  })
  .openapi(revoke, async (c) => {
    const revoked = await revokeCertificate(c.var.database().db, c.req.valid("param").id, c.req.valid("json").reason);
    if (!revoked) throw noSuchCertificate();
    return c.json(presentCertificate(revoked), 200);
  });
