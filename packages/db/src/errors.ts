const UNIQUE_VIOLATION = "23505";

/** Whether PostgreSQL refused a write for a unique constraint (the driver may wrap the error). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const { code, constraint: violated } = current as { code?: unknown; constraint?: unknown };
    if (code === UNIQUE_VIOLATION) return constraint === undefined || violated === constraint;
  }
  return false;
}
