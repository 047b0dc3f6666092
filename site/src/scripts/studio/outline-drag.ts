/**
 * Drag and drop for the outline editor, on top of its Move up / Move down forms (which stay, for
 * the keyboard and for pages without script). A lesson row is dragged within its section or into
 * another; on drop the whole arrangement — every lesson with its section, in order — goes to the
 * page in its hidden "arrange" form, a normal post/redirect/get, so the page that comes back shows
 * what the API now holds. Nothing is sent if the order did not change.
 */
const ROW = "li[data-lesson-id]";

function arrangementOf(outline: HTMLElement): string {
  const groups = [...outline.querySelectorAll<HTMLElement>("[data-group]")];
  return JSON.stringify(
    groups.flatMap((group) =>
      [...group.querySelectorAll<HTMLElement>(ROW)].map((row) => ({
        lessonId: row.dataset.lessonId,
        sectionId: group.dataset.sectionId || null,
      })),
    ),
  );
}

function enable(outline: HTMLElement): void {
  const form = outline.querySelector<HTMLFormElement>("form[data-form=arrange]");
  const field = form?.querySelector<HTMLInputElement>("input[name=arrangement]");
  if (!form || !field) return;
  const before = arrangementOf(outline);
  let dragged: HTMLElement | null = null;

  for (const row of outline.querySelectorAll<HTMLElement>(ROW)) {
    row.draggable = true;
    row.querySelector("[data-drag-handle]")?.classList.remove("hidden");
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("opacity-50");
      event.dataTransfer?.setData("text/plain", row.dataset.lessonId ?? "");
      if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("opacity-50");
      dragged = null;
    });
  }

  for (const list of outline.querySelectorAll<HTMLElement>("ol[data-lessons]")) {
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const target = (event.target as Element | null)?.closest<HTMLElement>(ROW);
      if (target === dragged) return;
      if (target && list.contains(target)) {
        const { top, height } = target.getBoundingClientRect();
        list.insertBefore(dragged, event.clientY < top + height / 2 ? target : target.nextSibling);
      } else if (!dragged.parentElement?.isSameNode(list)) {
        list.insertBefore(dragged, list.querySelector("[data-placeholder]"));
      }
    });
    list.addEventListener("drop", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const after = arrangementOf(outline);
      if (after === before) return;
      field.value = after;
      form.requestSubmit();
    });
  }
}

document.querySelectorAll<HTMLElement>("[data-outline]").forEach(enable);
