/**
 * Fills `{name}` placeholders of a message template. The live views update text in the browser
 * (a percent, a count), so those messages travel to the page as templates in `data-*`
 * attributes, and the server and the page's script fill them the same way.
 */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
