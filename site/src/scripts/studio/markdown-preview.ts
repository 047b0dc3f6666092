/**
 * The Markdown preview follows the typing: a moment after the author stops, the text goes to the
 * site's `/studio/preview-markdown`, which asks the courses API to render it with the renderer and
 * sanitiser its writes use, and the answer replaces the preview. The HTML is the API's sanitised
 * output (raw HTML escaped, unsafe links dropped), the same a learner's page sets. Only the latest
 * answer is shown. With script the form's "Preview" button, which posts the whole form, is hidden.
 */
const PAUSE_MS = 350;

function emptyNote(text: string): HTMLParagraphElement {
  const note = document.createElement("p");
  note.className = "text-muted";
  note.textContent = text;
  return note;
}

function follow(editor: HTMLElement): void {
  const source = editor.querySelector<HTMLTextAreaElement>("[data-markdown-source]");
  const preview = editor.querySelector<HTMLElement>("[data-markdown-preview]");
  const status = editor.querySelector<HTMLElement>("[data-preview-status]");
  if (!source || !preview) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  async function render(): Promise<void> {
    const asked = ++latest;
    const markdown = source?.value ?? "";
    try {
      const answer = await fetch("/studio/preview-markdown", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ markdown }),
      });
      if (asked !== latest || !preview) return;
      if (!answer.ok) throw new Error(String(answer.status));
      const { html } = (await answer.json()) as { html: string };
      if (asked !== latest) return;
      if (html.trim() === "") preview.replaceChildren(emptyNote(preview.dataset.emptyText ?? ""));
      else preview.innerHTML = html;
      preview.dataset.rendered = String(asked);
      if (status) status.textContent = "";
    } catch {
      if (asked === latest && status) status.textContent = editor.dataset.unavailable ?? "";
    }
  }

  source.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void render(), PAUSE_MS);
  });
}

document.querySelectorAll<HTMLElement>("[data-markdown-editor]").forEach(follow);
document.querySelectorAll<HTMLElement>("[data-preview-button]").forEach((button) => {
  button.hidden = true;
});
