import { fill } from "./upload-format";
import { UPLOAD_DONE_EVENT, type UploadDoneDetail } from "./upload-widget";

/**
 * Keeps a lesson's caption list (components/studio/upload/CaptionTracks.astro) in step when a
 * caption upload finishes: the list is drawn again from the tracks the site answered, each with
 * its confirmed remove form, so the page need not be reloaded (which would stop other uploads).
 */
export function showUploadedCaptions(): void {
  for (const section of document.querySelectorAll<HTMLElement>("[data-caption-tracks]:not([data-ready])")) {
    section.dataset.ready = "true";
    section.addEventListener(UPLOAD_DONE_EVENT, (event) => {
      const detail = (event as CustomEvent<UploadDoneDetail>).detail;
      if (detail.purpose === "caption" && detail.captions) redraw(section, detail.captions);
    });
  }
}

function redraw(section: HTMLElement, captions: NonNullable<UploadDoneDetail["captions"]>): void {
  const list = section.querySelector<HTMLUListElement>("[data-caption-list]");
  const template = section.querySelector<HTMLTemplateElement>("[data-caption-template]");
  const empty = section.querySelector<HTMLElement>("[data-caption-empty]");
  if (!list || !template) return;
  const items = captions.map((caption) => {
    const item = template.content.firstElementChild?.cloneNode(true) as HTMLLIElement;
    item.dataset.captionLabel = caption.label;
    const set = (selector: string, text: string) => {
      const element = item.querySelector(selector);
      if (element) element.textContent = text;
    };
    set("[data-caption-name]", caption.label);
    set("[data-caption-language]", ` (${caption.language})`);
    set("[data-caption-remove]", fill(section.dataset.removeText ?? "", { label: caption.label }));
    set("[data-caption-confirm]", fill(section.dataset.confirmText ?? "", { label: caption.label }));
    const key = item.querySelector<HTMLInputElement>("[data-caption-key]");
    if (key) key.value = caption.key;
    return item;
  });
  list.replaceChildren(...items);
  if (empty) empty.hidden = captions.length > 0;
}
