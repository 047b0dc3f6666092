/** A form field as text (absent or a file: empty). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The form a page was posted, or null when the body is not a form (a page then just renders). */
export async function postedForm(request: Request): Promise<FormData | null> {
  if (request.method !== "POST") return null;
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

/** `Retry-After` in seconds, when the API said how long to wait. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get("retry-after");
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}
