import { UPLOAD_DONE_EVENT, type UploadDoneDetail } from "./upload-widget";

/**
 * The lesson editor's note that the lesson still lacks its media goes once the uploader says the
 * file is attached, so the author does not have to reload to see the lesson is complete.
 */
document.querySelectorAll<HTMLElement>("[data-lesson-media]").forEach((section) => {
  section.addEventListener(UPLOAD_DONE_EVENT, (event) => {
    const detail = (event as CustomEvent<UploadDoneDetail>).detail;
    if (detail.purpose === "caption") return;
    section.querySelectorAll<HTMLElement>("[data-media-missing]").forEach((note) => {
      note.hidden = true;
    });
  });
});
