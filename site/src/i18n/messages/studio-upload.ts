import type { Messages } from "../messages";

/**
 * The studio's uploader (components/studio/upload/, scripts/studio/upload*.ts) and the course
 * media page (pages/studio/uploads/). Text the browser's script fills in is a template with
 * `{name}` placeholders, passed to it in a `data-` attribute; the rest is rendered on the server.
 */
export interface UploaderText {
  chooseFile: string;
  current: string;
  noFile: string;
  pause: string;
  resume: string;
  retry: string;
  cancel: string;
  confirmCancel: string;
  confirmCancelYes: string;
  confirmCancelNo: string;
  /** `{sent}` of `{total}` (formatted sizes) and `{percent}`. */
  progress: string;
  /** `{speed}`: a formatted rate per second. */
  speed: string;
  /** `{time}`: a formatted duration. */
  timeLeft: string;
  /** `{count}`: parts being sent at once. */
  inFlight: string;
  states: {
    preparing: string;
    uploading: string;
    paused: string;
    /** `{part}`, `{seconds}`, `{attempt}`, `{max}`. */
    retrying: string;
    offline: string;
    completing: string;
    attaching: string;
    done: string;
    cancelled: string;
    failed: string;
  };
  /** `{name}`, `{size}`, `{percent}`. */
  interrupted: string;
  discard: string;
  /** `{name}` (the file chosen) is not `{interrupted}` (the file the interrupted upload was sending). */
  otherFile: string;
  errors: {
    /** `{part}`: a part failed every attempt. */
    partFailed: string;
    signedOut: string;
    unavailable: string;
    fileChanged: string;
    captionFields: string;
  };
  caption: {
    language: string;
    languageHint: string;
    label: string;
    labelHint: string;
  };
}

interface StudioUploadText {
  uploader: UploaderText;
  page: {
    title: (course: string) => string;
    intro: string;
    back: string;
    cover: string;
    coverHint: string;
    lessons: string;
    noMediaLessons: string;
    kind: { video: string; file: string };
    videoHint: string;
    fileHint: string;
    notAuthor: string;
    notFound: string;
    unavailable: string;
  };
  captions: {
    title: string;
    hint: string;
    empty: string;
    remove: (label: string) => string;
    confirmRemove: (label: string) => string;
    removeYes: string;
    removed: string;
    removeFailed: string;
    add: string;
  };
}

const en: StudioUploadText = {
  uploader: {
    chooseFile: "Choose a file",
    current: "Current file:",
    noFile: "No file yet.",
    pause: "Pause",
    resume: "Resume",
    retry: "Try again",
    cancel: "Cancel upload",
    confirmCancel: "Cancel this upload? The parts already sent are discarded.",
    confirmCancelYes: "Yes, cancel it",
    confirmCancelNo: "Keep uploading",
    progress: "{sent} of {total} ({percent})",
    speed: "{speed}/s",
    timeLeft: "{time} left",
    inFlight: "{count} parts at once",
    states: {
      preparing: "Preparing the upload…",
      uploading: "Uploading…",
      paused: "Paused. Resume whenever you like, even after closing the page.",
      retrying: "Part {part} did not arrive. Trying again in {seconds} s (attempt {attempt} of {max}).",
      offline: "You are offline. The upload carries on when the connection is back.",
      completing: "Putting the parts together…",
      attaching: "Adding it to the lesson…",
      done: "Uploaded.",
      cancelled: "Upload cancelled.",
      failed: "The upload stopped.",
    },
    interrupted:
      "An upload of {name} ({size}) stopped at {percent}. Choose the same file to continue where it left off.",
    discard: "Discard it",
    otherFile:
      "{name} is not the file of the interrupted upload ({interrupted}), so it goes into a new upload. Discard the " +
      "interrupted one if you no longer need it.",
    errors: {
      partFailed: "Part {part} could not be sent after several attempts. Check your connection and try again.",
      signedOut: "Your session ended. Sign in again, then choose the file once more to continue.",
      unavailable: "The upload service is not available right now. Please try again in a moment.",
      fileChanged: "The file changed since the upload started. Choose it again to start over.",
      captionFields: "Give the track's language and label first.",
    },
    caption: {
      language: "Language",
      languageHint: "A language tag, such as en, de or pt-BR.",
      label: "Label",
      labelHint: "What learners see in the player's menu, such as English.",
    },
  },
  page: {
    title: (course) => `Media of ${course}`,
    intro:
      "Upload the videos and files of this course's lessons, their caption tracks and the cover. Large files go " +
      "in parts, several at once; an upload that stops carries on where it left off, even after a reload.",
    back: "Back to the studio",
    cover: "Cover image",
    coverHint: "PNG, JPEG or WebP, up to 10 MB.",
    lessons: "Lessons",
    noMediaLessons: "This course has no video or file lessons yet.",
    kind: { video: "Video lesson", file: "File lesson" },
    videoHint: "MP4, WebM or QuickTime, up to 8 GiB.",
    fileHint: "PDF, ZIP, MP3, text or Markdown.",
    notAuthor: "Only the course's author or an admin can change its media.",
    notFound: "There is no such course.",
    unavailable: "The course cannot be read right now. Please try again in a moment.",
  },
  captions: {
    title: "Captions",
    hint: "WebVTT files (.vtt), one per language.",
    empty: "No caption tracks yet.",
    remove: (label) => `Remove ${label}…`,
    confirmRemove: (label) => `Remove the ${label} track? Learners no longer see it.`,
    removeYes: "Yes, remove it",
    removed: "The caption track was removed.",
    removeFailed: "The caption track could not be removed.",
    add: "Add a caption track",
  },
};

const de: StudioUploadText = {
  uploader: {
    chooseFile: "Datei auswählen",
    current: "Aktuelle Datei:",
    noFile: "Noch keine Datei.",
    pause: "Anhalten",
    resume: "Fortsetzen",
    retry: "Erneut versuchen",
    cancel: "Hochladen abbrechen",
    confirmCancel: "Diesen Upload abbrechen? Die schon gesendeten Teile werden verworfen.",
    confirmCancelYes: "Ja, abbrechen",
    confirmCancelNo: "Weiter hochladen",
    progress: "{sent} von {total} ({percent})",
    speed: "{speed}/s",
    timeLeft: "noch {time}",
    inFlight: "{count} Teile gleichzeitig",
    states: {
      preparing: "Upload wird vorbereitet …",
      uploading: "Wird hochgeladen …",
      paused: "Angehalten. Sie können jederzeit fortsetzen, auch nachdem Sie die Seite geschlossen haben.",
      retrying: "Teil {part} ist nicht angekommen. Neuer Versuch in {seconds} s (Versuch {attempt} von {max}).",
      offline: "Sie sind offline. Der Upload geht weiter, sobald die Verbindung wieder da ist.",
      completing: "Die Teile werden zusammengesetzt …",
      attaching: "Wird zur Lektion hinzugefügt …",
      done: "Hochgeladen.",
      cancelled: "Upload abgebrochen.",
      failed: "Der Upload wurde angehalten.",
    },
    interrupted:
      "Ein Upload von {name} ({size}) wurde bei {percent} unterbrochen. Wählen Sie dieselbe Datei, um dort weiterzumachen.",
    discard: "Verwerfen",
    otherFile:
      "{name} ist nicht die Datei des unterbrochenen Uploads ({interrupted}) und geht daher in einen neuen Upload. " +
      "Verwerfen Sie den unterbrochenen, wenn Sie ihn nicht mehr brauchen.",
    errors: {
      partFailed:
        "Teil {part} konnte nach mehreren Versuchen nicht gesendet werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
      signedOut: "Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an und wählen Sie die Datei noch einmal.",
      unavailable: "Der Upload-Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
      fileChanged: "Die Datei hat sich seit dem Start geändert. Wählen Sie sie erneut, um neu zu beginnen.",
      captionFields: "Geben Sie zuerst Sprache und Bezeichnung der Spur an.",
    },
    caption: {
      language: "Sprache",
      languageHint: "Ein Sprachkürzel wie en, de oder pt-BR.",
      label: "Bezeichnung",
      labelHint: "Was Lernende im Menü des Players sehen, etwa Deutsch.",
    },
  },
  page: {
    title: (course) => `Medien von ${course}`,
    intro:
      "Laden Sie die Videos und Dateien der Lektionen, ihre Untertitel und das Titelbild hoch. Große Dateien gehen " +
      "in Teilen, mehrere gleichzeitig; ein unterbrochener Upload macht dort weiter, wo er stand, auch nach dem Neuladen.",
    back: "Zurück zum Studio",
    cover: "Titelbild",
    coverHint: "PNG, JPEG oder WebP, bis 10 MB.",
    lessons: "Lektionen",
    noMediaLessons: "Dieser Kurs hat noch keine Video- oder Dateilektionen.",
    kind: { video: "Videolektion", file: "Dateilektion" },
    videoHint: "MP4, WebM oder QuickTime, bis 8 GiB.",
    fileHint: "PDF, ZIP, MP3, Text oder Markdown.",
    notAuthor: "Nur die Autorin oder der Autor des Kurses und Admins können seine Medien ändern.",
    notFound: "Diesen Kurs gibt es nicht.",
    unavailable: "Der Kurs kann gerade nicht gelesen werden. Bitte versuchen Sie es gleich noch einmal.",
  },
  captions: {
    title: "Untertitel",
    hint: "WebVTT-Dateien (.vtt), eine pro Sprache.",
    empty: "Noch keine Untertitelspuren.",
    remove: (label) => `${label} entfernen …`,
    confirmRemove: (label) => `Die Spur ${label} entfernen? Lernende sehen sie dann nicht mehr.`,
    removeYes: "Ja, entfernen",
    removed: "Die Untertitelspur wurde entfernt.",
    removeFailed: "Die Untertitelspur konnte nicht entfernt werden.",
    add: "Untertitelspur hinzufügen",
  },
};

export const studioUploadMessages: Messages<StudioUploadText> = { en, de };
