import type { Messages } from "../messages";

/** The lesson player, "my learning" and the learner's certificates. */
interface LearningText {
  lesson: {
    outlineTitle: string;
    /** Templates: the live view fills `{percent}`, `{completed}` and `{total}` in the browser too. */
    courseProgress: string;
    lessonsDone: string;
    stateLabel: { "not-started": string; viewed: string; completed: string; locked: string };
    current: string;
    preview: string;
    kind: { video: string; text: string; file: string };
    minutes: (minutes: number) => string;
    lessonOf: (position: number, total: number) => string;
    lessonNavigation: string;
    previous: string;
    next: string;
    backToCourse: string;
    markComplete: string;
    markingComplete: string;
    completed: string;
    completeFailed: string;
    noProgressSignedOut: string;
    signInToSave: string;
    downloads: string;
    download: (name: string) => string;
    captionsNote: string;
    noMedia: string;
    noVideoSupport: string;
    fileLesson: string;
    openFile: string;
    resumeFrom: (time: string) => string;
    mediaExpired: string;
    mediaFailed: string;
    courseDone: string;
    courseDoneCertificate: string;
    liveOffline: string;
    lockedTitle: string;
    signInToOpen: string;
    signInToOpenHint: string;
    signIn: string;
    noAccess: string;
    noAccessHint: string;
    toCoursePage: string;
    notFound: string;
    unavailable: string;
  };
  myLearning: {
    title: string;
    intro: string;
    empty: string;
    emptyHint: string;
    browseCatalog: string;
    continue: string;
    start: string;
    review: string;
    nextUp: (title: string) => string;
    lastActivity: (date: string) => string;
    notStarted: string;
    completedOn: (date: string) => string;
    more: string;
    certificatesLink: string;
    unavailable: string;
  };
  certificates: {
    title: string;
    intro: string;
    empty: string;
    emptyHint: string;
    completedOn: (date: string) => string;
    issuedOn: (date: string) => string;
    revoked: string;
    view: string;
    verifyHint: string;
    more: string;
    backToLearning: string;
    unavailable: string;
  };
}

const en: LearningText = {
  lesson: {
    outlineTitle: "Course content",
    courseProgress: "{percent}% complete",
    lessonsDone: "{completed} of {total} lessons done",
    stateLabel: { "not-started": "Not started", viewed: "Started", completed: "Completed", locked: "Locked" },
    current: "Current lesson",
    preview: "Free preview",
    kind: { video: "Video", text: "Reading", file: "File" },
    minutes: (minutes) => `${minutes} min`,
    lessonOf: (position, total) => `Lesson ${position} of ${total}`,
    lessonNavigation: "Previous and next lesson",
    previous: "Previous lesson",
    next: "Next lesson",
    backToCourse: "Course overview",
    markComplete: "Mark as complete",
    markingComplete: "Saving…",
    completed: "Completed",
    completeFailed: "Your progress could not be saved. Please try again.",
    noProgressSignedOut: "You are watching a free preview.",
    signInToSave: "Sign in to keep your progress",
    downloads: "Downloads",
    download: (name) => `Download ${name}`,
    captionsNote: "Captions are available in the player's menu.",
    noMedia: "The media for this lesson has not been uploaded yet.",
    noVideoSupport: "Your browser cannot play this video. You can download it instead:",
    fileLesson: "This lesson is a file to read or keep.",
    openFile: "Open the file",
    resumeFrom: (time) => `Resuming at ${time}`,
    mediaExpired: "The video link expired; loading a fresh one…",
    mediaFailed: "The video cannot be played right now. Reload the page to try again.",
    courseDone: "You completed this course. Congratulations!",
    courseDoneCertificate: "See your certificates",
    liveOffline: "Live updates paused; reconnecting…",
    lockedTitle: "This lesson is locked",
    signInToOpen: "Sign in to open this lesson.",
    signInToOpenHint: "If you have bought or joined this course, sign in and the lesson opens.",
    signIn: "Sign in",
    noAccess: "This lesson is part of the full course.",
    noAccessHint: "Buy or join the course on its page to open every lesson. Free previews stay open to everyone.",
    toCoursePage: "Go to the course page",
    notFound: "There is no such lesson in this course.",
    unavailable: "The lesson cannot be shown right now. Please try again in a moment.",
  },
  myLearning: {
    title: "My learning",
    intro: "Every course you can learn, the most recent first. Pick up where you left off.",
    empty: "You have no courses yet.",
    emptyHint: "Browse the catalog, join a free course or buy one, and it shows up here.",
    browseCatalog: "Browse the catalog",
    continue: "Continue",
    start: "Start",
    review: "Review the course",
    nextUp: (title) => `Next: ${title}`,
    lastActivity: (date) => `Last activity ${date}`,
    notStarted: "Not started yet",
    completedOn: (date) => `Completed on ${date}`,
    more: "More courses",
    certificatesLink: "My certificates",
    unavailable: "Your courses cannot be shown right now. Please try again in a moment.",
  },
  certificates: {
    title: "My certificates",
    intro: "A certificate for every course you completed. Each has a public page anyone can use to verify it.",
    empty: "No certificates yet.",
    emptyHint: "Complete every lesson of a course and its certificate appears here.",
    completedOn: (date) => `Completed on ${date}`,
    issuedOn: (date) => `Issued on ${date}`,
    revoked: "Revoked",
    view: "View and share",
    verifyHint: "Share the link of a certificate's page: it shows whether the certificate is valid.",
    more: "More certificates",
    backToLearning: "Back to my learning",
    unavailable: "Your certificates cannot be shown right now. Please try again in a moment.",
  },
};

const de: LearningText = {
  lesson: {
    outlineTitle: "Kursinhalt",
    courseProgress: "{percent} % abgeschlossen",
    lessonsDone: "{completed} von {total} Lektionen erledigt",
    stateLabel: { "not-started": "Nicht begonnen", viewed: "Begonnen", completed: "Abgeschlossen", locked: "Gesperrt" },
    current: "Aktuelle Lektion",
    preview: "Kostenlose Vorschau",
    kind: { video: "Video", text: "Lesetext", file: "Datei" },
    minutes: (minutes) => `${minutes} Min.`,
    lessonOf: (position, total) => `Lektion ${position} von ${total}`,
    lessonNavigation: "Vorherige und nächste Lektion",
    previous: "Vorherige Lektion",
    next: "Nächste Lektion",
    backToCourse: "Kursübersicht",
    markComplete: "Als erledigt markieren",
    markingComplete: "Wird gespeichert …",
    completed: "Erledigt",
    completeFailed: "Ihr Fortschritt konnte nicht gespeichert werden. Bitte versuchen Sie es noch einmal.",
    noProgressSignedOut: "Sie sehen eine kostenlose Vorschau.",
    signInToSave: "Melden Sie sich an, um Ihren Fortschritt zu speichern",
    downloads: "Downloads",
    download: (name) => `${name} herunterladen`,
    captionsNote: "Untertitel finden Sie im Menü des Players.",
    noMedia: "Die Medien dieser Lektion wurden noch nicht hochgeladen.",
    noVideoSupport: "Ihr Browser kann dieses Video nicht abspielen. Sie können es stattdessen herunterladen:",
    fileLesson: "Diese Lektion ist eine Datei zum Lesen oder Aufbewahren.",
    openFile: "Datei öffnen",
    resumeFrom: (time) => `Weiter bei ${time}`,
    mediaExpired: "Der Videolink ist abgelaufen; ein neuer wird geladen …",
    mediaFailed: "Das Video kann gerade nicht abgespielt werden. Laden Sie die Seite neu, um es erneut zu versuchen.",
    courseDone: "Sie haben diesen Kurs abgeschlossen. Herzlichen Glückwunsch!",
    courseDoneCertificate: "Zu Ihren Zertifikaten",
    liveOffline: "Live-Aktualisierung unterbrochen; Verbindung wird wiederhergestellt …",
    lockedTitle: "Diese Lektion ist gesperrt",
    signInToOpen: "Melden Sie sich an, um diese Lektion zu öffnen.",
    signInToOpenHint:
      "Wenn Sie diesen Kurs gekauft haben oder ihm beigetreten sind, öffnet sich die Lektion nach der Anmeldung.",
    signIn: "Anmelden",
    noAccess: "Diese Lektion gehört zum vollständigen Kurs.",
    noAccessHint:
      "Kaufen Sie den Kurs oder treten Sie ihm auf seiner Seite bei, um alle Lektionen zu öffnen. Kostenlose Vorschauen bleiben für alle offen.",
    toCoursePage: "Zur Kursseite",
    notFound: "In diesem Kurs gibt es keine solche Lektion.",
    unavailable: "Die Lektion kann gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
  myLearning: {
    title: "Mein Lernen",
    intro:
      "Alle Kurse, die Sie belegen können, die zuletzt genutzten zuerst. Machen Sie dort weiter, wo Sie aufgehört haben.",
    empty: "Sie haben noch keine Kurse.",
    emptyHint:
      "Stöbern Sie im Katalog, treten Sie einem kostenlosen Kurs bei oder kaufen Sie einen – er erscheint dann hier.",
    browseCatalog: "Zum Katalog",
    continue: "Weiterlernen",
    start: "Beginnen",
    review: "Kurs ansehen",
    nextUp: (title) => `Als Nächstes: ${title}`,
    lastActivity: (date) => `Zuletzt aktiv am ${date}`,
    notStarted: "Noch nicht begonnen",
    completedOn: (date) => `Abgeschlossen am ${date}`,
    more: "Weitere Kurse",
    certificatesLink: "Meine Zertifikate",
    unavailable: "Ihre Kurse können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
  certificates: {
    title: "Meine Zertifikate",
    intro:
      "Ein Zertifikat für jeden abgeschlossenen Kurs. Jedes hat eine öffentliche Seite, auf der es jeder überprüfen kann.",
    empty: "Noch keine Zertifikate.",
    emptyHint: "Schließen Sie alle Lektionen eines Kurses ab, dann erscheint sein Zertifikat hier.",
    completedOn: (date) => `Abgeschlossen am ${date}`,
    issuedOn: (date) => `Ausgestellt am ${date}`,
    revoked: "Widerrufen",
    view: "Ansehen und teilen",
    verifyHint: "Teilen Sie den Link zur Seite eines Zertifikats: Sie zeigt, ob das Zertifikat gültig ist.",
    more: "Weitere Zertifikate",
    backToLearning: "Zurück zu Mein Lernen",
    unavailable: "Ihre Zertifikate können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
};

export const learningMessages: Messages<LearningText> = { en, de };
