import { z } from "@hono/zod-openapi";
import { CREDENTIAL_JWT_TYPE } from "@platform/contracts";
import type { Certificate } from "./certificates.ts";

const instant = z.iso.datetime({ offset: true });

export const certificateIdParam = z.object({ id: z.uuid() });

export const certificateSchema = z
  .object({
    id: z.uuid(),
    learnerName: z.string(),
    course: z.object({ id: z.uuid(), title: z.string() }),
    completedAt: instant,
    issuedAt: instant,
    revoked: z.boolean(),
    revokedAt: instant.nullable(),
    revokedReason: z.string().nullable(),
    credential: z.object({
      format: z.literal(CREDENTIAL_JWT_TYPE),
      jwt: z.string().openapi({
        description:
          "The Open Badges 3.0 OpenBadgeCredential as a VC-JWT, signed with the platform's EdDSA key: verify it against `/.well-known/jwks.json` (the `kid` in its header)",
      }),
    }),
  })
  .openapi("Certificate");

export const certificatePage = z
  .object({ items: z.array(certificateSchema), nextCursor: z.uuid().nullable() })
  .openapi("CertificatePage");

export const pageQuery = z.object({
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const revokeBody = z
  .object({ reason: z.string().trim().min(1).max(500).openapi({ example: "Issued in error" }) })
  .openapi("CertificateRevocation");

export function presentCertificate(certificate: Certificate): z.infer<typeof certificateSchema> {
  return {
    id: certificate.id,
    learnerName: certificate.learnerName,
    course: { id: certificate.courseId, title: certificate.courseTitle },
    completedAt: certificate.completedAt.toISOString(),
    issuedAt: certificate.issuedAt.toISOString(),
    revoked: certificate.revokedAt !== null,
    revokedAt: certificate.revokedAt?.toISOString() ?? null,
    revokedReason: certificate.revokedReason,
    credential: { format: CREDENTIAL_JWT_TYPE, jwt: certificate.credential },
  };
}
