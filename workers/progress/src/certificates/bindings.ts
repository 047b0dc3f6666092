import type { AuthRpc, CoursesRpc, UsersRpc } from "@platform/contracts";

/**
 * The name a learner goes by, from the users service (profiles live there). `not_found`: the account
 * was erased; `pending`: its profile is not made yet (USER_CREATED still on its way).
 */
export type LearnerNamesRpc = Pick<UsersRpc, "learnerName">;

/** What issuing a certificate reaches over service bindings. */
export interface CertificateBindings {
  /** Signs the credential with the platform's key. */
  readonly AUTH: Pick<AuthRpc, "signCredential">;
  /** The learner's name, as printed on the certificate. */
  readonly USERS: LearnerNamesRpc;
  /** The course's title when this service has no outline of the course. */
  readonly COURSES: Pick<CoursesRpc, "courseForSale">;
}
