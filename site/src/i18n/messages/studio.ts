import type { Messages } from "../messages";

/** The author studio: my courses, the course and lesson editors, publishing and analytics. */
interface StudioText {
  title: string;
  refusals: {
    forbidden: { title: string; body: string };
    courseForbidden: { title: string; body: string };
    notFound: { title: string; body: string };
    unavailable: { title: string; body: string };
    backToStudio: string;
  };
  tabsLabel: string;
  tabs: { details: string; outline: string; publish: string; analytics: string };
  status: { draft: string; published: string; archived: string };
  levels: { beginner: string; intermediate: string; advanced: string };
  kinds: { video: string; text: string; file: string };
  mine: {
    heading: string;
    intro: string;
    newCourse: string;
    empty: string;
    listLabel: string;
    learners: string;
    completed: string;
    completionRate: string;
    noLearnersYet: string;
    revenue: string;
    noSalesYet: string;
    revenueUnavailable: string;
    sales: (count: number) => string;
    refunded: (amount: string) => string;
    disputed: (count: number) => string;
    revenueNote: string;
    free: string;
    updated: (date: string) => string;
    edit: string;
    outline: string;
    analytics: string;
    viewInCatalog: string;
    morePages: string;
    firstPage: string;
  };
  course: {
    newHeading: string;
    newIntro: string;
    detailsIntro: string;
    title: string;
    slug: string;
    slugHint: string;
    summary: string;
    summaryHint: string;
    description: string;
    descriptionHint: string;
    previewHeading: string;
    previewEmpty: string;
    previewButton: string;
    previewUnavailable: string;
    language: string;
    level: string;
    amount: string;
    amountHint: string;
    currency: string;
    create: string;
    save: string;
    created: string;
    saved: string;
    unchanged: string;
    priceProblems: {
      currency: string;
      number: string;
      decimals: (digits: number) => string;
      minimum: (amount: string) => string;
      maximum: (amount: string) => string;
    };
    coverHeading: string;
    coverNone: string;
    coverAlt: string;
    coverHint: string;
    coverSaved: string;
  };
  outline: {
    intro: string;
    noSection: string;
    emptySection: string;
    noLessons: string;
    sectionsLabel: string;
    addSectionHeading: string;
    sectionTitle: string;
    addSection: string;
    renameLabel: (title: string) => string;
    rename: string;
    moveUp: string;
    moveDown: string;
    deleteSection: string;
    deleteSectionTitle: (title: string) => string;
    deleteSectionBody: string;
    deleteSectionConfirm: string;
    deleteLesson: string;
    deleteLessonTitle: (title: string) => string;
    deleteLessonBody: string;
    deleteLessonConfirm: string;
    keep: string;
    addLesson: string;
    addLessonTo: (title: string) => string;
    preview: string;
    makePreview: string;
    endPreview: string;
    noMedia: string;
    done: {
      sectionAdded: string;
      sectionRenamed: string;
      sectionDeleted: string;
      lessonDeleted: string;
      moved: string;
      previewChanged: string;
    };
  };
  lesson: {
    newHeading: string;
    heading: string;
    title: string;
    kind: string;
    kindHints: { video: string; text: string; file: string };
    kindFixed: string;
    section: string;
    noSection: string;
    isPreview: string;
    isPreviewHint: string;
    body: string;
    bodyHint: string;
    textOnly: string;
    duration: string;
    durationHint: string;
    durationInvalid: string;
    videoOnly: string;
    create: string;
    save: string;
    created: string;
    saved: string;
    unchanged: string;
    backToOutline: string;
    mediaHeading: { video: string; file: string };
    mediaNone: string;
    deleteHeading: string;
    deleteIntro: string;
  };
  publish: {
    heading: string;
    statusDraft: string;
    statusPublished: string;
    statusArchived: string;
    publish: string;
    publishAgain: string;
    published: string;
    archived: string;
    viewInCatalog: string;
    checklistHeading: string;
    checklistIntro: string;
    items: {
      summary: string;
      noLessons: string;
      lessonMedia: (title: string) => string;
      price: string;
    };
    fix: { details: string; outline: string; lesson: string; price: string };
    archiveHeading: string;
    archiveIntro: string;
    archive: string;
    archiveTitle: string;
    archiveBody: string;
    archiveConfirm: string;
    keepPublished: string;
  };
  analytics: {
    intro: string;
    enrolled: string;
    started: string;
    completed: string;
    completionRate: string;
    median: string;
    none: string;
    lessonsHeading: string;
    lessonsCaption: string;
    lesson: string;
    reached: string;
    lessonCompleted: string;
    stoppedHere: string;
    dropOff: string;
    dropOffSummary: (title: string, learners: number) => string;
    noDropOff: string;
    noLessons: string;
    duration: { days: (n: number) => string; hours: (n: number) => string; minutes: (n: number) => string };
  };
}

const en: StudioText = {
  title: "Studio",
  refusals: {
    forbidden: {
      title: "The studio is for instructors",
      body: "Only instructors and admins can write courses. If you teach here, ask an admin to give your account the instructor role.",
    },
    courseForbidden: {
      title: "This course is not yours to edit",
      body: "Only the course's author and admins can change it.",
    },
    notFound: { title: "No such course", body: "There is no course of yours at this address." },
    unavailable: {
      title: "The studio is not available right now",
      body: "This could not be loaded. Please try again in a moment.",
    },
    backToStudio: "Back to your courses",
  },
  tabsLabel: "Course editor",
  tabs: { details: "Details", outline: "Sections and lessons", publish: "Publish", analytics: "Analytics" },
  status: { draft: "Draft", published: "Published", archived: "Archived" },
  levels: { beginner: "Beginner", intermediate: "Intermediate", advanced: "Advanced" },
  kinds: { video: "Video", text: "Text", file: "File" },
  mine: {
    heading: "Your courses",
    intro: "Write, publish and follow your courses.",
    newCourse: "New course",
    empty: "You have not written a course yet. Start with its title: everything else can follow.",
    listLabel: "Your courses",
    learners: "Learners",
    completed: "Completed",
    completionRate: "Completion rate",
    noLearnersYet: "—",
    revenue: "Revenue",
    noSalesYet: "No sales yet",
    revenueUnavailable: "Unavailable right now",
    sales: (count) => (count === 1 ? "1 sale" : `${count} sales`),
    refunded: (amount) => `${amount} refunded`,
    disputed: (count) => (count === 1 ? "1 disputed" : `${count} disputed`),
    revenueNote:
      "Revenue is what buyers paid for a course, less refunds, in each currency it was sold in, before the payment provider's fees. All-access subscriptions are not counted: they pay for every course at once.",
    free: "Free",
    updated: (date) => `Changed ${date}`,
    edit: "Edit",
    outline: "Lessons",
    analytics: "Analytics",
    viewInCatalog: "View in the catalog",
    morePages: "More courses",
    firstPage: "Back to the first page",
  },
  course: {
    newHeading: "New course",
    newIntro: "A course starts as a draft that only you and admins can see. Publish it when it is ready.",
    detailsIntro: "What learners read about the course in the catalog and on its page.",
    title: "Title",
    slug: "Address (slug)",
    slugHint:
      "The course page's address: lower-case letters, digits and single hyphens. Left empty, it is made from the title.",
    summary: "Summary",
    summaryHint: "One or two sentences for the catalog. Needed before publishing.",
    description: "Description",
    descriptionHint:
      "Markdown: # headings, **bold**, *italic*, - lists, [links](https://example.com). HTML is shown as text.",
    previewHeading: "Preview",
    previewEmpty: "Nothing to preview yet.",
    previewButton: "Preview the text",
    previewUnavailable: "The preview is not available right now; saving still works.",
    language: "Language of the course",
    level: "Level",
    amount: "Price",
    amountHint: "In the currency beside it, such as 49.00. Leave it empty for a free course.",
    currency: "Currency",
    create: "Create course",
    save: "Save details",
    created: "The course is created as a draft. Add its sections and lessons next.",
    saved: "The details are saved.",
    unchanged: "Nothing was changed.",
    priceProblems: {
      currency: "Choose one of the currencies in the list.",
      number: "Enter the price as a number, such as 49.00.",
      decimals: (digits) =>
        digits === 0 ? "This currency has no decimals: enter a whole amount." : `Use at most ${digits} decimals.`,
      minimum: (amount) => `The lowest price in this currency is ${amount}. Leave it empty for a free course.`,
      maximum: (amount) => `The highest price in this currency is ${amount}.`,
    },
    coverHeading: "Cover image",
    coverNone: "No cover image yet.",
    coverAlt: "The course's current cover image",
    coverHint: "PNG, JPEG or WebP, up to 10 MB. It is shown in the catalog and on the course page.",
    coverSaved: "The cover image is saved.",
  },
  outline: {
    intro:
      "Lessons are read in this order. Drag a lesson to move it, or use its Move up and Move down buttons. A lesson moved past the first or last of its section goes into the section next to it.",
    noSection: "Not in a section",
    emptySection: "No lessons in this section yet.",
    noLessons: "No lessons yet. Add the first one.",
    sectionsLabel: "Sections and lessons",
    addSectionHeading: "Add a section",
    sectionTitle: "Section title",
    addSection: "Add section",
    renameLabel: (title) => `Title of the section “${title}”`,
    rename: "Rename",
    moveUp: "Move up",
    moveDown: "Move down",
    deleteSection: "Delete",
    deleteSectionTitle: (title) => `Delete the section “${title}”?`,
    deleteSectionBody: "Its lessons stay in the course, in no section. This cannot be undone.",
    deleteSectionConfirm: "Delete section",
    deleteLesson: "Delete",
    deleteLessonTitle: (title) => `Delete the lesson “${title}”?`,
    deleteLessonBody:
      "The lesson, its text, media, captions and downloads leave the course, and learners' progress on it no longer counts. This cannot be undone.",
    deleteLessonConfirm: "Delete lesson",
    keep: "Keep it",
    addLesson: "Add a lesson",
    addLessonTo: (title) => `Add a lesson to “${title}”`,
    preview: "Free preview",
    makePreview: "Make it a free preview",
    endPreview: "End the free preview",
    noMedia: "No media yet",
    done: {
      sectionAdded: "The section is added.",
      sectionRenamed: "The section is renamed.",
      sectionDeleted: "The section is deleted; its lessons are now in no section.",
      lessonDeleted: "The lesson is deleted.",
      moved: "Moved.",
      previewChanged: "The free preview is changed.",
    },
  },
  lesson: {
    newHeading: "New lesson",
    heading: "Edit lesson",
    title: "Title",
    kind: "Kind",
    kindHints: {
      video: "A video learners watch, with captions if you add them.",
      text: "A page of text you write here.",
      file: "A file learners open or download, such as a PDF.",
    },
    kindFixed: "The kind of a lesson cannot change once it exists; add a new lesson instead.",
    section: "Section",
    noSection: "No section",
    isPreview: "Free preview",
    isPreviewHint: "Anyone can open it from the course page, without buying the course.",
    body: "Text",
    bodyHint: "Markdown, as in the course description. Needed for text lessons.",
    textOnly: "For text lessons only.",
    duration: "Length",
    durationHint: "Minutes and seconds, such as 12:30. Shown on the course page.",
    durationInvalid: "Enter the length as minutes and seconds, such as 12:30 (at most 24 hours).",
    videoOnly: "For video lessons only.",
    create: "Add lesson",
    save: "Save lesson",
    created: "The lesson is added.",
    saved: "The lesson is saved.",
    unchanged: "Nothing was changed.",
    backToOutline: "Back to sections and lessons",
    mediaHeading: { video: "Video", file: "File" },
    mediaNone: "Nothing uploaded yet: the course cannot be published until this lesson has its media.",
    deleteHeading: "Delete this lesson",
    deleteIntro: "The lesson leaves the course with its media.",
  },
  publish: {
    heading: "Publish",
    statusDraft: "This course is a draft: only you and admins can see it.",
    statusPublished: "This course is published: it is in the catalog, and learners can enroll or buy it.",
    statusArchived:
      "This course is archived: it is out of the catalog and nobody new can join. Learners who have it keep it.",
    publish: "Publish course",
    publishAgain: "Publish again",
    published: "The course is published and in the catalog.",
    archived: "The course is archived.",
    viewInCatalog: "See it in the catalog",
    checklistHeading: "Before the course can be published",
    checklistIntro: "Publishing checks the course is complete. Fix each of these, then publish again:",
    items: {
      summary: "Write a summary for the catalog.",
      noLessons: "Add at least one lesson.",
      lessonMedia: (title) => `Upload the media of the lesson “${title}”.`,
      price: "Set a price that can be charged, or make the course free.",
    },
    fix: {
      details: "Edit the details",
      outline: "Add a lesson",
      lesson: "Open the lesson",
      price: "Edit the price",
    },
    archiveHeading: "Archive",
    archiveIntro: "Take the course out of the catalog. Learners who have it keep it, and you can publish it again.",
    archive: "Archive course",
    archiveTitle: "Archive this course?",
    archiveBody:
      "It leaves the catalog and nobody new can enroll or buy it. Learners who have it keep it. You can publish it again later.",
    archiveConfirm: "Archive course",
    keepPublished: "Keep it published",
  },
  analytics: {
    intro: "How learners get through the course, from the progress service. Figures include refunded learners.",
    enrolled: "Enrolled",
    started: "Started",
    completed: "Completed",
    completionRate: "Completion rate",
    median: "Median time to complete",
    none: "—",
    lessonsHeading: "Lesson by lesson",
    lessonsCaption: "Learners who reached, completed and stopped at each lesson, in course order",
    lesson: "Lesson",
    reached: "Reached",
    lessonCompleted: "Completed",
    stoppedHere: "Stopped here",
    dropOff: "Drop-off",
    dropOffSummary: (title, learners) =>
      `Most learners who have not finished got no further than “${title}” (${learners}).`,
    noDropOff: "Nobody has stopped part-way yet.",
    noLessons: "The course has no lessons yet.",
    duration: {
      days: (n) => `${n} ${n === 1 ? "day" : "days"}`,
      hours: (n) => `${n} h`,
      minutes: (n) => `${n} min`,
    },
  },
};

const de: StudioText = {
  title: "Studio",
  refusals: {
    forbidden: {
      title: "Das Studio ist für Lehrende",
      body: "Nur Lehrende und Admins können Kurse schreiben. Wenn Sie hier unterrichten, bitten Sie einen Admin, Ihrem Konto die Rolle „Lehrende“ zu geben.",
    },
    courseForbidden: {
      title: "Diesen Kurs können Sie nicht bearbeiten",
      body: "Nur die Autorin oder der Autor des Kurses und Admins können ihn ändern.",
    },
    notFound: { title: "Kurs nicht gefunden", body: "Unter dieser Adresse gibt es keinen Kurs von Ihnen." },
    unavailable: {
      title: "Das Studio ist gerade nicht erreichbar",
      body: "Das konnte nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.",
    },
    backToStudio: "Zurück zu Ihren Kursen",
  },
  tabsLabel: "Kurs-Editor",
  tabs: {
    details: "Angaben",
    outline: "Abschnitte und Lektionen",
    publish: "Veröffentlichen",
    analytics: "Auswertung",
  },
  status: { draft: "Entwurf", published: "Veröffentlicht", archived: "Archiviert" },
  levels: { beginner: "Einsteiger", intermediate: "Fortgeschritten", advanced: "Experten" },
  kinds: { video: "Video", text: "Text", file: "Datei" },
  mine: {
    heading: "Ihre Kurse",
    intro: "Schreiben, veröffentlichen und verfolgen Sie Ihre Kurse.",
    newCourse: "Neuer Kurs",
    empty: "Sie haben noch keinen Kurs geschrieben. Beginnen Sie mit dem Titel – alles andere kann folgen.",
    listLabel: "Ihre Kurse",
    learners: "Lernende",
    completed: "Abgeschlossen",
    completionRate: "Abschlussquote",
    noLearnersYet: "—",
    revenue: "Umsatz",
    noSalesYet: "Noch keine Verkäufe",
    revenueUnavailable: "Gerade nicht verfügbar",
    sales: (count) => (count === 1 ? "1 Verkauf" : `${count} Verkäufe`),
    refunded: (amount) => `${amount} erstattet`,
    disputed: (count) => (count === 1 ? "1 angefochten" : `${count} angefochten`),
    revenueNote:
      "Umsatz ist, was Käufer für einen Kurs bezahlt haben, abzüglich Erstattungen, in jeder Währung, in der er verkauft wurde, vor den Gebühren des Zahlungsanbieters. All-Access-Abos zählen nicht mit: Sie bezahlen alle Kurse zugleich.",
    free: "Kostenlos",
    updated: (date) => `Geändert am ${date}`,
    edit: "Bearbeiten",
    outline: "Lektionen",
    analytics: "Auswertung",
    viewInCatalog: "Im Katalog ansehen",
    morePages: "Weitere Kurse",
    firstPage: "Zurück zur ersten Seite",
  },
  course: {
    newHeading: "Neuer Kurs",
    newIntro:
      "Ein Kurs beginnt als Entwurf, den nur Sie und Admins sehen. Veröffentlichen Sie ihn, wenn er fertig ist.",
    detailsIntro: "Was Lernende im Katalog und auf der Kursseite über den Kurs lesen.",
    title: "Titel",
    slug: "Adresse (Slug)",
    slugHint:
      "Die Adresse der Kursseite: Kleinbuchstaben, Ziffern und einzelne Bindestriche. Leer gelassen, wird sie aus dem Titel gebildet.",
    summary: "Kurzbeschreibung",
    summaryHint: "Ein oder zwei Sätze für den Katalog. Nötig zum Veröffentlichen.",
    description: "Beschreibung",
    descriptionHint:
      "Markdown: # Überschriften, **fett**, *kursiv*, - Listen, [Links](https://example.com). HTML wird als Text gezeigt.",
    previewHeading: "Vorschau",
    previewEmpty: "Noch nichts zum Anzeigen.",
    previewButton: "Vorschau des Textes",
    previewUnavailable: "Die Vorschau ist gerade nicht verfügbar; Speichern funktioniert trotzdem.",
    language: "Sprache des Kurses",
    level: "Niveau",
    amount: "Preis",
    amountHint: "In der Währung daneben, etwa 49,00. Leer lassen für einen kostenlosen Kurs.",
    currency: "Währung",
    create: "Kurs anlegen",
    save: "Angaben speichern",
    created: "Der Kurs ist als Entwurf angelegt. Fügen Sie nun Abschnitte und Lektionen hinzu.",
    saved: "Die Angaben sind gespeichert.",
    unchanged: "Es wurde nichts geändert.",
    priceProblems: {
      currency: "Wählen Sie eine der Währungen aus der Liste.",
      number: "Geben Sie den Preis als Zahl ein, etwa 49,00.",
      decimals: (digits) =>
        digits === 0
          ? "Diese Währung hat keine Nachkommastellen: Geben Sie einen ganzen Betrag ein."
          : `Höchstens ${digits} Nachkommastellen.`,
      minimum: (amount) =>
        `Der niedrigste Preis in dieser Währung ist ${amount}. Leer lassen für einen kostenlosen Kurs.`,
      maximum: (amount) => `Der höchste Preis in dieser Währung ist ${amount}.`,
    },
    coverHeading: "Titelbild",
    coverNone: "Noch kein Titelbild.",
    coverAlt: "Das aktuelle Titelbild des Kurses",
    coverHint: "PNG, JPEG oder WebP, bis 10 MB. Es erscheint im Katalog und auf der Kursseite.",
    coverSaved: "Das Titelbild ist gespeichert.",
  },
  outline: {
    intro:
      "Lektionen werden in dieser Reihenfolge gelesen. Ziehen Sie eine Lektion, um sie zu verschieben, oder nutzen Sie „Nach oben“ und „Nach unten“. Eine Lektion, die über die erste oder letzte ihres Abschnitts hinaus bewegt wird, kommt in den benachbarten Abschnitt.",
    noSection: "In keinem Abschnitt",
    emptySection: "Noch keine Lektionen in diesem Abschnitt.",
    noLessons: "Noch keine Lektionen. Fügen Sie die erste hinzu.",
    sectionsLabel: "Abschnitte und Lektionen",
    addSectionHeading: "Abschnitt hinzufügen",
    sectionTitle: "Titel des Abschnitts",
    addSection: "Abschnitt hinzufügen",
    renameLabel: (title) => `Titel des Abschnitts „${title}“`,
    rename: "Umbenennen",
    moveUp: "Nach oben",
    moveDown: "Nach unten",
    deleteSection: "Löschen",
    deleteSectionTitle: (title) => `Abschnitt „${title}“ löschen?`,
    deleteSectionBody: "Seine Lektionen bleiben im Kurs, in keinem Abschnitt. Das lässt sich nicht rückgängig machen.",
    deleteSectionConfirm: "Abschnitt löschen",
    deleteLesson: "Löschen",
    deleteLessonTitle: (title) => `Lektion „${title}“ löschen?`,
    deleteLessonBody:
      "Die Lektion mit Text, Medien, Untertiteln und Downloads verlässt den Kurs, und der Fortschritt der Lernenden darin zählt nicht mehr. Das lässt sich nicht rückgängig machen.",
    deleteLessonConfirm: "Lektion löschen",
    keep: "Behalten",
    addLesson: "Lektion hinzufügen",
    addLessonTo: (title) => `Lektion zu „${title}“ hinzufügen`,
    preview: "Kostenlose Vorschau",
    makePreview: "Als kostenlose Vorschau freigeben",
    endPreview: "Kostenlose Vorschau beenden",
    noMedia: "Noch keine Medien",
    done: {
      sectionAdded: "Der Abschnitt ist hinzugefügt.",
      sectionRenamed: "Der Abschnitt ist umbenannt.",
      sectionDeleted: "Der Abschnitt ist gelöscht; seine Lektionen sind jetzt in keinem Abschnitt.",
      lessonDeleted: "Die Lektion ist gelöscht.",
      moved: "Verschoben.",
      previewChanged: "Die kostenlose Vorschau ist geändert.",
    },
  },
  lesson: {
    newHeading: "Neue Lektion",
    heading: "Lektion bearbeiten",
    title: "Titel",
    kind: "Art",
    kindHints: {
      video: "Ein Video, auf Wunsch mit Untertiteln.",
      text: "Eine Textseite, die Sie hier schreiben.",
      file: "Eine Datei zum Öffnen oder Herunterladen, etwa ein PDF.",
    },
    kindFixed: "Die Art einer Lektion lässt sich nicht mehr ändern; legen Sie stattdessen eine neue Lektion an.",
    section: "Abschnitt",
    noSection: "Kein Abschnitt",
    isPreview: "Kostenlose Vorschau",
    isPreviewHint: "Alle können sie von der Kursseite aus öffnen, ohne den Kurs zu kaufen.",
    body: "Text",
    bodyHint: "Markdown, wie in der Kursbeschreibung. Nötig für Textlektionen.",
    textOnly: "Nur für Textlektionen.",
    duration: "Länge",
    durationHint: "Minuten und Sekunden, etwa 12:30. Wird auf der Kursseite gezeigt.",
    durationInvalid: "Geben Sie die Länge als Minuten und Sekunden an, etwa 12:30 (höchstens 24 Stunden).",
    videoOnly: "Nur für Videolektionen.",
    create: "Lektion hinzufügen",
    save: "Lektion speichern",
    created: "Die Lektion ist hinzugefügt.",
    saved: "Die Lektion ist gespeichert.",
    unchanged: "Es wurde nichts geändert.",
    backToOutline: "Zurück zu Abschnitten und Lektionen",
    mediaHeading: { video: "Video", file: "Datei" },
    mediaNone: "Noch nichts hochgeladen: Der Kurs kann erst veröffentlicht werden, wenn diese Lektion ihre Medien hat.",
    deleteHeading: "Diese Lektion löschen",
    deleteIntro: "Die Lektion verlässt den Kurs mit ihren Medien.",
  },
  publish: {
    heading: "Veröffentlichen",
    statusDraft: "Dieser Kurs ist ein Entwurf: Nur Sie und Admins sehen ihn.",
    statusPublished:
      "Dieser Kurs ist veröffentlicht: Er steht im Katalog, und Lernende können sich einschreiben oder ihn kaufen.",
    statusArchived:
      "Dieser Kurs ist archiviert: Er steht nicht mehr im Katalog, und niemand Neues kann beitreten. Wer ihn hat, behält ihn.",
    publish: "Kurs veröffentlichen",
    publishAgain: "Erneut veröffentlichen",
    published: "Der Kurs ist veröffentlicht und steht im Katalog.",
    archived: "Der Kurs ist archiviert.",
    viewInCatalog: "Im Katalog ansehen",
    checklistHeading: "Bevor der Kurs veröffentlicht werden kann",
    checklistIntro:
      "Beim Veröffentlichen wird geprüft, ob der Kurs vollständig ist. Beheben Sie jeden dieser Punkte und veröffentlichen Sie erneut:",
    items: {
      summary: "Schreiben Sie eine Kurzbeschreibung für den Katalog.",
      noLessons: "Fügen Sie mindestens eine Lektion hinzu.",
      lessonMedia: (title) => `Laden Sie die Medien der Lektion „${title}“ hoch.`,
      price: "Legen Sie einen Preis fest, der abgerechnet werden kann, oder machen Sie den Kurs kostenlos.",
    },
    fix: {
      details: "Angaben bearbeiten",
      outline: "Lektion hinzufügen",
      lesson: "Lektion öffnen",
      price: "Preis bearbeiten",
    },
    archiveHeading: "Archivieren",
    archiveIntro:
      "Nehmen Sie den Kurs aus dem Katalog. Wer ihn hat, behält ihn, und Sie können ihn erneut veröffentlichen.",
    archive: "Kurs archivieren",
    archiveTitle: "Diesen Kurs archivieren?",
    archiveBody:
      "Er verlässt den Katalog, und niemand Neues kann sich einschreiben oder ihn kaufen. Wer ihn hat, behält ihn. Sie können ihn später erneut veröffentlichen.",
    archiveConfirm: "Kurs archivieren",
    keepPublished: "Veröffentlicht lassen",
  },
  analytics: {
    intro: "Wie Lernende durch den Kurs kommen, laut Fortschrittsdienst. Die Zahlen schließen erstattete Käufe ein.",
    enrolled: "Eingeschrieben",
    started: "Begonnen",
    completed: "Abgeschlossen",
    completionRate: "Abschlussquote",
    median: "Mittlere Zeit bis zum Abschluss (Median)",
    none: "—",
    lessonsHeading: "Lektion für Lektion",
    lessonsCaption: "Lernende, die jede Lektion erreicht, abgeschlossen oder dort aufgehört haben, in Kursreihenfolge",
    lesson: "Lektion",
    reached: "Erreicht",
    lessonCompleted: "Abgeschlossen",
    stoppedHere: "Hier aufgehört",
    dropOff: "Absprung",
    dropOffSummary: (title, learners) =>
      `Die meisten, die noch nicht fertig sind, kamen nicht über „${title}“ hinaus (${learners}).`,
    noDropOff: "Noch niemand hat unterwegs aufgehört.",
    noLessons: "Der Kurs hat noch keine Lektionen.",
    duration: {
      days: (n) => `${n} ${n === 1 ? "Tag" : "Tage"}`,
      hours: (n) => `${n} Std.`,
      minutes: (n) => `${n} Min.`,
    },
  },
};

export const studioMessages: Messages<StudioText> = { en, de };
export type { StudioText };
