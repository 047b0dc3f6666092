import type { UnsignedCredential } from "@platform/contracts";

/**
 * A certificate as an Open Badges 3.0 `OpenBadgeCredential`: a W3C Verifiable Credential (Data
 * Model 2.0) whose `AchievementSubject` (the learner) earned an `Achievement` (completing the
 * course). The auth worker signs it as the platform (adds `issuer.id` and the JWT claims), so it
 * verifies against the published JWKS with no call to this service (docs/certificates.md).
 *
 * Identifiers are `urn:uuid:` URIs of the platform's own ids, which need no origin: the
 * credential is `urn:uuid:<certificate id>`, the learner `urn:uuid:<user id>`, the achievement
 * `urn:uuid:<course id>` (one achievement per course, the same in every learner's credential).
 */
export const OPEN_BADGES_CONTEXT = [
  "https://www.w3.org/ns/credentials/v2",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
] as const;

/** The issuer's display name; its `id` (the platform's origin) is the signer's to set. */
export const ISSUER_NAME = "Edge Learning";

export interface CertificateFacts {
  readonly certificateId: string;
  readonly userId: string;
  readonly learnerName: string;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly completedAt: Date;
  /** Whole seconds: a JWT's `nbf` must equal `validFrom` exactly. */
  readonly issuedAt: Date;
}

export const urnOf = (id: string) => `urn:uuid:${id}`;

/** A moment without its milliseconds, as JWT NumericDates (and so `validFrom`) hold it. */
export function wholeSeconds(moment: Date): Date {
  return new Date(Math.floor(moment.getTime() / 1000) * 1000);
}

export function openBadgeCredential(facts: CertificateFacts): UnsignedCredential {
  return {
    "@context": [...OPEN_BADGES_CONTEXT],
    id: urnOf(facts.certificateId),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `${facts.courseTitle}: certificate of completion`,
    issuer: { type: ["Profile"], name: ISSUER_NAME },
    validFrom: facts.issuedAt.toISOString(),
    awardedDate: facts.issuedAt.toISOString(),
    credentialSubject: {
      id: urnOf(facts.userId),
      type: ["AchievementSubject"],
      activityEndDate: facts.completedAt.toISOString(),
      // Open Badges names the recipient through an identity object; a name is shown unhashed.
      identifier: [{ type: "IdentityObject", identityType: "name", hashed: false, identityHash: facts.learnerName }],
      achievement: {
        id: urnOf(facts.courseId),
        type: ["Achievement"],
        achievementType: "CertificateOfCompletion",
        name: facts.courseTitle,
        description: `Completion of the course "${facts.courseTitle}".`,
        criteria: { narrative: "Completed every lesson the course requires." },
      },
    },
  };
}
