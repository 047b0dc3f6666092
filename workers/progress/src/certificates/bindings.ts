import type { AuthRpc, CoursesRpc, RpcResult } from "@platform/contracts";

/**
 * The name a learner goes by, from the users service (profiles live there). `not_found`: no
 * profile, which after erasure is for good.
 */
export interface LearnerNamesRpc {
  learnerName(userId: string): Promise<RpcResult<string, "not_found" | "unavailable">>;
}

/** What issuing a certificate reaches over service bindings. */
export interface CertificateBindings {
  /** Signs the credential with the platform's key. */
  readonly AUTH: Pick<AuthRpc, "signCredential">;
  /** The learner's name, as printed on the certificate. */
  readonly USERS: LearnerNamesRpc;
  /** The course's title when this service has no outline of the course. */
  readonly COURSES: Pick<CoursesRpc, "courseForSale">;
}
