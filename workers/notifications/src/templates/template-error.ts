/**
 * A notice that cannot be rendered as asked: an unknown template, or data its template refuses. The
 * message names the template and every offending variable, because it ends up as a dead letter's
 * reason, and whoever reads that must see what was wrong without replaying the event.
 */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly template: string;
  /** The variables at fault (`courseTitle`, `amountMinor`…); empty for an unknown template. */
  readonly variables: readonly string[];

  constructor(template: string, message: string, variables: readonly string[] = []) {
    super(`Template "${template}": ${message}`);
    this.template = template;
    this.variables = variables;
  }
}
