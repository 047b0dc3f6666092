/**
 * A new lesson's form shows only the fields of the kind chosen (the text for a text lesson, the
 * length for a video), and follows the choice. Without script every field shows with a note of
 * which kind it is for, and the page sends only the chosen kind's fields anyway.
 */
document.querySelectorAll<HTMLElement>("[data-lesson-fields]").forEach((fields) => {
  const choices = [...fields.querySelectorAll<HTMLInputElement>("input[name=kind]")];
  if (choices.length === 0) return;
  const show = () => {
    const kind = choices.find((choice) => choice.checked)?.value;
    fields.querySelectorAll<HTMLElement>("[data-kind-only]").forEach((part) => {
      part.hidden = part.dataset.kindOnly !== kind;
    });
    fields.querySelectorAll<HTMLElement>("[data-kind-note]").forEach((note) => {
      note.hidden = true;
    });
  };
  choices.forEach((choice) => choice.addEventListener("change", show));
  show();
});
