import type { Messages } from "../messages";

type Level = "beginner" | "intermediate" | "advanced";
type LessonKind = "video" | "text" | "file";

/** The public pages: home, catalog, course pages, checkout return and certificate verification. */
interface CatalogText {
  home: {
    title: string;
    description: string;
    heroTitle: string;
    heroIntro: string;
    searchLabel: string;
    searchPlaceholder: string;
    searchButton: string;
    browseAll: string;
    newTitle: string;
    newMore: string;
    popularTitle: string;
    popularMore: string;
    rowEmpty: string;
    rowUnavailable: string;
    whyTitle: string;
    why: ReadonlyArray<{ title: string; body: string }>;
  };
  catalog: {
    title: string;
    description: string;
    heading: string;
    intro: string;
    resultsFor: (query: string) => string;
    filtersTitle: string;
    moreFilters: string;
    activeFilters: (count: number) => string;
    search: string;
    level: string;
    any: string;
    levels: Record<Level, string>;
    language: string;
    price: string;
    priceFree: string;
    pricePaid: string;
    priceRange: string;
    minPrice: string;
    maxPrice: string;
    currency: string;
    rangeHint: string;
    sort: string;
    sorts: { relevance: string; newest: string; popular: string };
    apply: string;
    clear: string;
    problemsTitle: string;
    problems: {
      minPrice: string;
      maxPrice: string;
      range: string;
      freeWithRange: string;
      q: string;
      other: string;
    };
    empty: string;
    emptyFiltered: string;
    unavailable: string;
    listLabel: string;
    pager: { label: string; previous: string; next: string; page: (n: number) => string };
  };
  card: {
    free: string;
    level: string;
    language: string;
    price: string;
  };
  course: {
    breadcrumb: string;
    breadcrumbLabel: string;
    facts: string;
    by: (name: string) => string;
    instructorUnknown: string;
    lessons: (count: number) => string;
    minutes: (count: number) => string;
    about: string;
    syllabus: string;
    syllabusEmpty: string;
    introduction: string;
    kinds: Record<LessonKind, string>;
    preview: string;
    playPreview: (title: string) => string;
    free: string;
    enrollFree: string;
    buyFor: (price: string) => string;
    signInFirst: string;
    continue: string;
    start: string;
    review: string;
    yours: string;
    finished: string;
    editorNotice: string;
    draftNotice: string;
    archivedNotice: string;
    openLessons: string;
    instructorTitle: string;
    includes: string;
    includesPreview: (count: number) => string;
    includesCertificate: string;
    includesAnyDevice: string;
    noLessonsYet: string;
    problems: {
      paidCourse: string;
      freeCourse: string;
      alreadyYours: string;
      notForSale: string;
      paymentProvider: string;
      throttled: string;
      unavailable: string;
    };
    unavailable: string;
  };
  checkout: {
    title: string;
    confirmedTitle: string;
    confirmed: (course: string) => string;
    start: string;
    openCourse: string;
    confirmingTitle: string;
    confirming: string;
    checkAgain: string;
    takingLong: string;
    processing: string;
    failedTitle: string;
    failed: string;
    tryAgain: string;
    unknownTitle: string;
    unknown: string;
    subscriptionConfirmed: string;
    subscriptionConfirming: string;
    browse: string;
    myLearning: string;
    canceledTitle: string;
    canceled: string;
    backToCourse: string;
    backToCourses: string;
    payTitle: string;
    payIntro: (what: string, price: string) => string;
    payContinue: string;
    payClosed: string;
  };
  certificate: {
    title: (course: string) => string;
    description: (learner: string, course: string) => string;
    heading: string;
    awardedTo: string;
    forCourse: string;
    completedOn: string;
    issuedOn: string;
    issuedBy: string;
    valid: string;
    revokedTitle: string;
    revokedOn: (date: string) => string;
    reason: string;
    verifyTitle: string;
    verifyIntro: string;
    verifySteps: readonly string[];
    credential: string;
    keys: string;
    record: string;
    unavailable: string;
  };
}

const en: CatalogText = {
  home: {
    title: "Edge Learning — online courses you can start today",
    description:
      "Practical online courses from people who do the work. Try free previews, learn at your own pace, and earn certificates anyone can verify.",
    heroTitle: "Learn the skills you will use tomorrow",
    heroIntro:
      "Practical courses from people who do the work. Try a free preview, learn at your own pace on any device, and earn a certificate anyone can check.",
    searchLabel: "Search the courses",
    searchPlaceholder: "What do you want to learn? e.g. postgres",
    searchButton: "Search",
    browseAll: "Browse all courses",
    newTitle: "New courses",
    newMore: "See all new courses",
    popularTitle: "Popular courses",
    popularMore: "See the most popular courses",
    rowEmpty: "No courses here yet. Please come back soon.",
    rowUnavailable: "These courses cannot be shown right now. Please try again in a moment.",
    whyTitle: "Why learn here",
    why: [
      {
        title: "Try before you decide",
        body: "Every course shows its full syllabus, and many lessons are free previews you can open right away.",
      },
      {
        title: "At your pace, on every device",
        body: "Videos pick up where you stopped, and your progress follows you from laptop to phone.",
      },
      {
        title: "Certificates anyone can verify",
        body: "Finish a course and get a signed certificate with its own public page for employers to check.",
      },
    ],
  },
  catalog: {
    title: "All courses — Edge Learning",
    description: "Find a course: search by topic and filter by level, language and price.",
    heading: "Courses",
    intro: "Search by topic, then narrow the list by level, language and price.",
    resultsFor: (query) => `Results for “${query}”`,
    filtersTitle: "Search and filters",
    moreFilters: "Filters and order",
    activeFilters: (count) => (count === 1 ? "1 in use" : `${count} in use`),
    search: "Search",
    level: "Level",
    any: "Any",
    levels: { beginner: "Beginner", intermediate: "Intermediate", advanced: "Advanced" },
    language: "Language",
    price: "Price",
    priceFree: "Free",
    pricePaid: "Paid",
    priceRange: "Price range",
    minPrice: "From",
    maxPrice: "To",
    currency: "Currency",
    rangeHint: "Free courses count as 0.",
    sort: "Sort by",
    sorts: { relevance: "Recommended", newest: "Newest", popular: "Most popular" },
    apply: "Show courses",
    clear: "Clear all",
    problemsTitle: "Please check the filters:",
    problems: {
      minPrice: "The lowest price must be a number, like 10 or 9.99.",
      maxPrice: "The highest price must be a number, like 50 or 49.99.",
      range: "The lowest price must not be above the highest price.",
      freeWithRange: "Free courses have no price: choose “Any” or “Paid” to use a price range.",
      q: "Type at least one letter or digit to search for.",
      other: "These filters cannot be used together. Please change one of them.",
    },
    empty: "No courses have been published yet. Please come back soon.",
    emptyFiltered: "No course matches your search and filters. Try fewer words or clear a filter.",
    unavailable: "The courses cannot be shown right now. Please try again in a moment.",
    listLabel: "Courses found",
    pager: {
      label: "Pages of results",
      previous: "Previous page",
      next: "Next page",
      page: (n) => `Page ${n}`,
    },
  },
  card: {
    free: "Free",
    level: "Level",
    language: "Language",
    price: "Price",
  },
  course: {
    breadcrumb: "Courses",
    breadcrumbLabel: "Breadcrumb",
    facts: "Course details",
    by: (name) => `Taught by ${name}`,
    instructorUnknown: "Edge Learning instructor",
    lessons: (count) => (count === 1 ? "1 lesson" : `${count} lessons`),
    minutes: (count) => (count < 60 ? `${count} min` : `${Math.floor(count / 60)} h ${count % 60} min`),
    about: "About this course",
    syllabus: "What you will learn",
    syllabusEmpty: "The lessons of this course are being written.",
    introduction: "Getting started",
    kinds: { video: "Video", text: "Reading", file: "Download" },
    preview: "Free preview",
    playPreview: (title) => `Open the free preview: ${title}`,
    free: "Free",
    enrollFree: "Enroll for free",
    buyFor: (price) => `Buy for ${price}`,
    signInFirst: "You will sign in or create an account first.",
    continue: "Continue learning",
    start: "Start learning",
    review: "Review the course",
    yours: "This course is yours.",
    finished: "You finished this course. Well done!",
    editorNotice: "You can edit this course. Learners see this page without this note.",
    draftNotice: "Draft: only you and the administrators can see this page until the course is published.",
    archivedNotice: "This course is no longer offered. You keep access to it.",
    openLessons: "Open the lessons",
    instructorTitle: "Your instructor",
    includes: "This course includes",
    includesPreview: (count) => (count === 1 ? "1 free preview lesson" : `${count} free preview lessons`),
    includesCertificate: "A certificate when you finish",
    includesAnyDevice: "Access on every device",
    noLessonsYet: "You are enrolled. The first lessons will appear here as soon as they are published.",
    problems: {
      paidCourse: "This course is not free. Please buy it to start.",
      freeCourse: "This course is free: enroll instead.",
      alreadyYours: "You already have this course, or a payment for it is being processed. Look in My learning.",
      notForSale: "This course cannot be joined right now.",
      paymentProvider: "The payment service did not answer. Nothing was charged; please try again.",
      throttled: "Too many attempts. Please wait a moment and try again.",
      unavailable: "That did not work because of a problem on our side. Please try again in a moment.",
    },
    unavailable: "This course cannot be shown right now. Please try again in a moment.",
  },
  checkout: {
    title: "Your purchase",
    confirmedTitle: "You are all set",
    confirmed: (course) => `Thank you! “${course}” is now yours.`,
    start: "Start learning",
    openCourse: "Go to the course page",
    confirmingTitle: "Confirming your payment",
    confirming:
      "Thank you! We are waiting for the payment service to confirm your payment. This usually takes a few seconds.",
    checkAgain: "Check again",
    takingLong:
      "Taking longer? You do not need to pay again: the course opens as soon as the payment is confirmed, and we email you. It will also appear in My learning.",
    processing:
      "Your bank is still processing the payment. This can take a few days; we email you as soon as the course opens.",
    failedTitle: "The payment did not go through",
    failed: "Nothing was charged. You can try again with another payment method.",
    tryAgain: "Try again",
    unknownTitle: "We could not find this purchase",
    unknown: "This link does not belong to a purchase of yours. Your purchases are listed in your account.",
    subscriptionConfirmed: "Your subscription is active: every course is open to you.",
    subscriptionConfirming: "We are waiting for the payment service to confirm your subscription.",
    browse: "Browse the courses",
    myLearning: "Go to My learning",
    canceledTitle: "Checkout canceled",
    canceled: "Nothing was charged. You can come back whenever you like.",
    backToCourse: "Back to the course",
    backToCourses: "Back to the courses",
    payTitle: "Continue to payment",
    payIntro: (what, price) => `You are buying “${what}” for ${price}. The payment page opens next.`,
    payContinue: "Continue to the payment page",
    payClosed: "This checkout is closed. Go back to the course to start again.",
  },
  certificate: {
    title: (course) => `Certificate: ${course} — Edge Learning`,
    description: (learner, course) => `${learner} completed “${course}” on Edge Learning.`,
    heading: "Certificate of completion",
    awardedTo: "Awarded to",
    forCourse: "For completing",
    completedOn: "Completed on",
    issuedOn: "Issued on",
    issuedBy: "Issued by Edge Learning",
    valid: "This certificate is valid: Edge Learning issued it and has not revoked it.",
    revokedTitle: "This certificate was revoked",
    revokedOn: (date) => `Edge Learning revoked this certificate on ${date}. It no longer attests a completion.`,
    reason: "Reason",
    verifyTitle: "Verify it yourself",
    verifyIntro:
      "You do not have to trust this page. The certificate is an Open Badges 3.0 credential, signed by Edge Learning as a JSON Web Token.",
    verifySteps: [
      "Copy the signed credential below.",
      "Check its signature (EdDSA, type vc+jwt) with the public keys published at the address below, using any JWT library.",
      "Check that its issuer (iss) is this website's address and that its name and course match this page.",
      "A signature cannot show a later revocation: this page, or the record below, tells you whether the certificate was revoked.",
    ],
    credential: "Signed credential (VC-JWT)",
    keys: "Public keys (JWKS)",
    record: "The certificate's record",
    unavailable: "This certificate cannot be shown right now. Please try again in a moment.",
  },
};

const de: CatalogText = {
  home: {
    title: "Edge Learning — Online-Kurse, mit denen Sie heute beginnen",
    description:
      "Praxisnahe Online-Kurse von Leuten, die die Arbeit selbst machen. Kostenlose Vorschauen, Lernen im eigenen Tempo und Zertifikate, die jeder prüfen kann.",
    heroTitle: "Lernen Sie, was Sie morgen brauchen",
    heroIntro:
      "Praxisnahe Kurse von Leuten, die die Arbeit selbst machen. Probieren Sie eine kostenlose Vorschau, lernen Sie in Ihrem Tempo auf jedem Gerät und erhalten Sie ein Zertifikat, das jeder prüfen kann.",
    searchLabel: "Kurse durchsuchen",
    searchPlaceholder: "Was möchten Sie lernen? z. B. postgres",
    searchButton: "Suchen",
    browseAll: "Alle Kurse ansehen",
    newTitle: "Neue Kurse",
    newMore: "Alle neuen Kurse ansehen",
    popularTitle: "Beliebte Kurse",
    popularMore: "Die beliebtesten Kurse ansehen",
    rowEmpty: "Hier gibt es noch keine Kurse. Schauen Sie bald wieder vorbei.",
    rowUnavailable: "Diese Kurse können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
    whyTitle: "Warum hier lernen",
    why: [
      {
        title: "Erst ausprobieren, dann entscheiden",
        body: "Jeder Kurs zeigt seinen vollständigen Lehrplan, und viele Lektionen sind kostenlose Vorschauen, die Sie sofort öffnen können.",
      },
      {
        title: "In Ihrem Tempo, auf jedem Gerät",
        body: "Videos laufen dort weiter, wo Sie aufgehört haben, und Ihr Fortschritt folgt Ihnen vom Laptop aufs Handy.",
      },
      {
        title: "Zertifikate, die jeder prüfen kann",
        body: "Schließen Sie einen Kurs ab und erhalten Sie ein signiertes Zertifikat mit eigener öffentlicher Seite, etwa für Arbeitgeber.",
      },
    ],
  },
  catalog: {
    title: "Alle Kurse — Edge Learning",
    description: "Finden Sie einen Kurs: Suchen Sie nach Thema und filtern Sie nach Niveau, Sprache und Preis.",
    heading: "Kurse",
    intro: "Suchen Sie nach einem Thema und grenzen Sie die Liste nach Niveau, Sprache und Preis ein.",
    resultsFor: (query) => `Ergebnisse für „${query}“`,
    filtersTitle: "Suche und Filter",
    moreFilters: "Filter und Reihenfolge",
    activeFilters: (count) => `${count} aktiv`,
    search: "Suche",
    level: "Niveau",
    any: "Alle",
    levels: { beginner: "Einsteiger", intermediate: "Fortgeschritten", advanced: "Experte" },
    language: "Sprache",
    price: "Preis",
    priceFree: "Kostenlos",
    pricePaid: "Kostenpflichtig",
    priceRange: "Preisspanne",
    minPrice: "Von",
    maxPrice: "Bis",
    currency: "Währung",
    rangeHint: "Kostenlose Kurse zählen als 0.",
    sort: "Sortieren nach",
    sorts: { relevance: "Empfohlen", newest: "Neueste", popular: "Beliebteste" },
    apply: "Kurse anzeigen",
    clear: "Alles zurücksetzen",
    problemsTitle: "Bitte prüfen Sie die Filter:",
    problems: {
      minPrice: "Der niedrigste Preis muss eine Zahl sein, etwa 10 oder 9,99.",
      maxPrice: "Der höchste Preis muss eine Zahl sein, etwa 50 oder 49,99.",
      range: "Der niedrigste Preis darf nicht über dem höchsten liegen.",
      freeWithRange:
        "Kostenlose Kurse haben keinen Preis: Wählen Sie „Alle“ oder „Kostenpflichtig“, um eine Preisspanne zu nutzen.",
      q: "Geben Sie mindestens einen Buchstaben oder eine Ziffer ein.",
      other: "Diese Filter lassen sich nicht kombinieren. Bitte ändern Sie einen davon.",
    },
    empty: "Es wurden noch keine Kurse veröffentlicht. Schauen Sie bald wieder vorbei.",
    emptyFiltered:
      "Kein Kurs passt zu Ihrer Suche und den Filtern. Versuchen Sie weniger Wörter oder entfernen Sie einen Filter.",
    unavailable: "Die Kurse können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
    listLabel: "Gefundene Kurse",
    pager: {
      label: "Ergebnisseiten",
      previous: "Vorherige Seite",
      next: "Nächste Seite",
      page: (n) => `Seite ${n}`,
    },
  },
  card: {
    free: "Kostenlos",
    level: "Niveau",
    language: "Sprache",
    price: "Preis",
  },
  course: {
    breadcrumb: "Kurse",
    breadcrumbLabel: "Brotkrumen-Navigation",
    facts: "Kursdetails",
    by: (name) => `Kursleitung: ${name}`,
    instructorUnknown: "Kursleitung von Edge Learning",
    lessons: (count) => (count === 1 ? "1 Lektion" : `${count} Lektionen`),
    minutes: (count) => (count < 60 ? `${count} Min.` : `${Math.floor(count / 60)} Std. ${count % 60} Min.`),
    about: "Über diesen Kurs",
    syllabus: "Was Sie lernen",
    syllabusEmpty: "Die Lektionen dieses Kurses werden gerade geschrieben.",
    introduction: "Erste Schritte",
    kinds: { video: "Video", text: "Lesen", file: "Download" },
    preview: "Kostenlose Vorschau",
    playPreview: (title) => `Kostenlose Vorschau öffnen: ${title}`,
    free: "Kostenlos",
    enrollFree: "Kostenlos einschreiben",
    buyFor: (price) => `Für ${price} kaufen`,
    signInFirst: "Sie melden sich zuerst an oder erstellen ein Konto.",
    continue: "Weiterlernen",
    start: "Jetzt beginnen",
    review: "Kurs wiederholen",
    yours: "Dieser Kurs gehört Ihnen.",
    finished: "Sie haben diesen Kurs abgeschlossen. Gut gemacht!",
    editorNotice: "Sie können diesen Kurs bearbeiten. Lernende sehen diese Seite ohne diesen Hinweis.",
    draftNotice: "Entwurf: Nur Sie und die Administration sehen diese Seite, bis der Kurs veröffentlicht ist.",
    archivedNotice: "Dieser Kurs wird nicht mehr angeboten. Ihr Zugang bleibt erhalten.",
    openLessons: "Lektionen öffnen",
    instructorTitle: "Ihre Kursleitung",
    includes: "Dieser Kurs umfasst",
    includesPreview: (count) =>
      count === 1 ? "1 kostenlose Vorschau-Lektion" : `${count} kostenlose Vorschau-Lektionen`,
    includesCertificate: "Ein Zertifikat zum Abschluss",
    includesAnyDevice: "Zugang auf jedem Gerät",
    noLessonsYet: "Sie sind eingeschrieben. Die ersten Lektionen erscheinen hier, sobald sie veröffentlicht sind.",
    problems: {
      paidCourse: "Dieser Kurs ist nicht kostenlos. Bitte kaufen Sie ihn, um zu beginnen.",
      freeCourse: "Dieser Kurs ist kostenlos: Schreiben Sie sich stattdessen ein.",
      alreadyYours:
        "Sie haben diesen Kurs bereits, oder eine Zahlung dafür wird gerade bearbeitet. Schauen Sie unter „Mein Lernen“.",
      notForSale: "Diesem Kurs kann man gerade nicht beitreten.",
      paymentProvider:
        "Der Zahlungsdienst hat nicht geantwortet. Es wurde nichts abgebucht; bitte versuchen Sie es noch einmal.",
      throttled: "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.",
      unavailable: "Das hat wegen eines Problems bei uns nicht geklappt. Bitte versuchen Sie es gleich noch einmal.",
    },
    unavailable: "Dieser Kurs kann gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
  checkout: {
    title: "Ihr Kauf",
    confirmedTitle: "Alles bereit",
    confirmed: (course) => `Vielen Dank! „${course}“ gehört jetzt Ihnen.`,
    start: "Jetzt beginnen",
    openCourse: "Zur Kursseite",
    confirmingTitle: "Ihre Zahlung wird bestätigt",
    confirming:
      "Vielen Dank! Wir warten darauf, dass der Zahlungsdienst Ihre Zahlung bestätigt. Das dauert meist nur ein paar Sekunden.",
    checkAgain: "Erneut prüfen",
    takingLong:
      "Dauert es länger? Sie müssen nicht noch einmal bezahlen: Der Kurs öffnet sich, sobald die Zahlung bestätigt ist, und wir schicken Ihnen eine E-Mail. Er erscheint dann auch unter „Mein Lernen“.",
    processing:
      "Ihre Bank bearbeitet die Zahlung noch. Das kann einige Tage dauern; wir schicken Ihnen eine E-Mail, sobald der Kurs freigeschaltet ist.",
    failedTitle: "Die Zahlung ist nicht durchgegangen",
    failed: "Es wurde nichts abgebucht. Sie können es mit einer anderen Zahlungsart erneut versuchen.",
    tryAgain: "Erneut versuchen",
    unknownTitle: "Wir konnten diesen Kauf nicht finden",
    unknown: "Dieser Link gehört zu keinem Ihrer Käufe. Ihre Käufe finden Sie in Ihrem Konto.",
    subscriptionConfirmed: "Ihr Abonnement ist aktiv: Alle Kurse stehen Ihnen offen.",
    subscriptionConfirming: "Wir warten darauf, dass der Zahlungsdienst Ihr Abonnement bestätigt.",
    browse: "Kurse ansehen",
    myLearning: "Zu „Mein Lernen“",
    canceledTitle: "Bezahlung abgebrochen",
    canceled: "Es wurde nichts abgebucht. Sie können jederzeit zurückkommen.",
    backToCourse: "Zurück zum Kurs",
    backToCourses: "Zurück zu den Kursen",
    payTitle: "Weiter zur Bezahlung",
    payIntro: (what, price) => `Sie kaufen „${what}“ für ${price}. Als Nächstes öffnet sich die Bezahlseite.`,
    payContinue: "Weiter zur Bezahlseite",
    payClosed: "Diese Bezahlung ist geschlossen. Gehen Sie zurück zum Kurs, um neu zu beginnen.",
  },
  certificate: {
    title: (course) => `Zertifikat: ${course} — Edge Learning`,
    description: (learner, course) => `${learner} hat „${course}“ bei Edge Learning abgeschlossen.`,
    heading: "Abschlusszertifikat",
    awardedTo: "Verliehen an",
    forCourse: "Für den Abschluss von",
    completedOn: "Abgeschlossen am",
    issuedOn: "Ausgestellt am",
    issuedBy: "Ausgestellt von Edge Learning",
    valid: "Dieses Zertifikat ist gültig: Edge Learning hat es ausgestellt und nicht widerrufen.",
    revokedTitle: "Dieses Zertifikat wurde widerrufen",
    revokedOn: (date) =>
      `Edge Learning hat dieses Zertifikat am ${date} widerrufen. Es bestätigt keinen Abschluss mehr.`,
    reason: "Grund",
    verifyTitle: "Selbst prüfen",
    verifyIntro:
      "Sie müssen dieser Seite nicht vertrauen. Das Zertifikat ist ein Open-Badges-3.0-Nachweis, von Edge Learning als JSON Web Token signiert.",
    verifySteps: [
      "Kopieren Sie den signierten Nachweis unten.",
      "Prüfen Sie seine Signatur (EdDSA, Typ vc+jwt) mit den öffentlichen Schlüsseln unter der Adresse unten, mit einer beliebigen JWT-Bibliothek.",
      "Prüfen Sie, dass sein Aussteller (iss) die Adresse dieser Website ist und Name und Kurs zu dieser Seite passen.",
      "Eine Signatur kann einen späteren Widerruf nicht zeigen: Diese Seite oder der Eintrag unten sagt Ihnen, ob das Zertifikat widerrufen wurde.",
    ],
    credential: "Signierter Nachweis (VC-JWT)",
    keys: "Öffentliche Schlüssel (JWKS)",
    record: "Der Eintrag des Zertifikats",
    unavailable: "Dieses Zertifikat kann gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
};

export const catalogMessages: Messages<CatalogText> = { en, de };
