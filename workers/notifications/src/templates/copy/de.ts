import type { Copy } from "./types.ts";

const CATEGORY_NAMES = {
  security: "Sicherheits-E-Mails",
  purchases: "E-Mails zu Käufen",
  subscriptions: "E-Mails zum Abo",
  learning: "E-Mails zum Lernfortschritt",
  onboarding: "Willkommens-E-Mails",
} as const;

/** German, for every `de` locale (`de-DE`, `de-AT`, `de-CH`…). Informal "du", as most learning platforms write. */
export const de: Copy = {
  greeting: (name) => (name ? `Hallo ${name},` : "Hallo,"),
  footer: "Edge Learning · Du erhältst diese E-Mail, weil du ein Konto bei uns hast.",
  copyLinkHint: "Falls der Knopf nicht funktioniert, kopiere diese Adresse in deinen Browser:",
  unsubscribe: (category) => `${CATEGORY_NAMES[category]} abbestellen`,
  templates: {
    welcome: (data) => ({
      subject: "Willkommen bei Edge Learning",
      heading: "Willkommen bei Edge Learning",
      paragraphs: [
        "Dein Konto ist bereit. Stöbere im Katalog und lerne, wann es dir passt: Dein Fortschritt wird auf jedem Gerät gespeichert.",
      ],
      actions: [{ label: "Zum Katalog", url: data.catalogUrl }],
      inApp: { title: "Willkommen bei Edge Learning", body: "Dein Konto ist bereit.", link: data.catalogUrl },
    }),
    "purchase-confirmed": (data) => ({
      subject: `Dein Kauf: ${data.courseTitle}`,
      heading: "Danke für deinen Kauf",
      paragraphs: [`„${data.courseTitle}“ gehört jetzt dir. Du kannst sofort loslegen.`],
      actions: [{ label: "Kurs öffnen", url: data.courseUrl }],
      inApp: { title: "Kauf bestätigt", body: `„${data.courseTitle}“ gehört jetzt dir.`, link: data.courseUrl },
    }),
    "subscription-started": (data, format) => ({
      subject: "Dein Abo hat begonnen",
      heading: "Dein Abo hat begonnen",
      paragraphs: [
        `Danke für dein Abo. Alle Kurse im Katalog stehen dir offen. Dein ${data.interval === "year" ? "Jahresabo" : "Monatsabo"} verlängert sich am ${format.date(data.currentPeriodEnd)}.`,
      ],
      actions: [],
      inApp: { title: "Abo gestartet", body: `Verlängert sich am ${format.date(data.currentPeriodEnd)}.`, link: null },
    }),
    "subscription-ending": (data, format) => ({
      subject: "Dein Abo endet bald",
      heading: "Dein Abo endet bald",
      paragraphs: [
        `Dein Abo endet am ${format.date(data.endsAt)} und verlängert sich nicht. Bis dahin stehen dir alle Kurse offen.`,
      ],
      actions: [],
      inApp: { title: "Abo endet", body: `Endet am ${format.date(data.endsAt)}.`, link: null },
    }),
    "subscription-ended": (data, format) => ({
      subject: "Dein Abo ist beendet",
      heading: "Dein Abo ist beendet",
      paragraphs: [
        `Dein Abo ist am ${format.date(data.endedAt)} ausgelaufen. Gekaufte Kurse bleiben dir; du kannst jederzeit wieder abonnieren.`,
      ],
      actions: [{ label: "Zum Katalog", url: data.catalogUrl }],
      inApp: { title: "Abo beendet", body: `Beendet am ${format.date(data.endedAt)}.`, link: data.catalogUrl },
    }),
    "refund-processed": (data, format) => {
      const amount = format.money(data.amountMinor, data.currency);
      const what = data.courseTitle ? ` für „${data.courseTitle}“` : "";
      return {
        subject: `Deine Erstattung über ${amount}`,
        heading: "Deine Erstattung ist unterwegs",
        paragraphs: [
          `Wir haben dir ${amount}${what} erstattet. Je nach Bank kann es einige Tage dauern, bis der Betrag auf deinem Konto erscheint.`,
        ],
        actions: [],
        inApp: { title: "Erstattung veranlasst", body: `${amount}${what}.`, link: null },
      };
    },
    "course-completed": (data) => ({
      subject: `Glückwunsch: Du hast ${data.courseTitle} abgeschlossen`,
      heading: "Herzlichen Glückwunsch!",
      paragraphs: [`Du hast „${data.courseTitle}“ abgeschlossen. Dein Zertifikat ist bereit.`],
      actions: [
        { label: "Zertifikat ansehen", url: data.certificateUrl },
        { label: "Zurück zum Kurs", url: data.courseUrl },
      ],
      inApp: {
        title: "Kurs abgeschlossen",
        body: `Du hast „${data.courseTitle}“ abgeschlossen.`,
        link: data.certificateUrl,
      },
    }),
    "verify-email": (data, format) => ({
      subject: "Bestätige deine E-Mail-Adresse",
      heading: "Bestätige deine E-Mail-Adresse",
      paragraphs: [
        `Bitte bestätige, dass diese Adresse dir gehört. Der Link funktioniert einmal und bis ${format.dateTime(data.expiresAt)}.`,
        "Wenn du kein Konto angelegt hast, kannst du diese E-Mail ignorieren.",
      ],
      actions: [{ label: "Adresse bestätigen", url: data.verifyUrl }],
      inApp: { title: "Bestätige deine E-Mail-Adresse", body: "Wir haben dir einen Link geschickt.", link: null },
    }),
    "password-reset": (data, format) => ({
      subject: "Setze dein Passwort zurück",
      heading: "Setze dein Passwort zurück",
      paragraphs: [
        `Jemand möchte das Passwort deines Kontos zurücksetzen. Der Link funktioniert einmal und bis ${format.dateTime(data.expiresAt)}.`,
        "Warst du das nicht, ignoriere diese E-Mail: Dein Passwort bleibt, wie es ist.",
      ],
      actions: [{ label: "Neues Passwort wählen", url: data.resetUrl }],
      inApp: { title: "Passwort-Zurücksetzung angefragt", body: "Wir haben dir einen Link geschickt.", link: null },
    }),
    "account-exists": (data) => ({
      subject: "Du hast bereits ein Konto",
      heading: "Du hast bereits ein Konto",
      paragraphs: [
        "Jemand hat versucht, mit dieser Adresse ein neues Konto anzulegen. Du hast schon eines, daher wurde nichts angelegt.",
        "Warst du das, melde dich an oder setze dein Passwort zurück, falls du es vergessen hast. Sonst kannst du diese E-Mail ignorieren.",
      ],
      actions: [
        { label: "Anmelden", url: data.signInUrl },
        { label: "Passwort zurücksetzen", url: data.resetUrl },
      ],
      inApp: {
        title: "Registrierungsversuch",
        body: "Jemand wollte sich mit deiner Adresse registrieren.",
        link: null,
      },
    }),
    "password-changed": (data, format) => ({
      subject: "Dein Passwort wurde geändert",
      heading: "Dein Passwort wurde geändert",
      paragraphs: [
        `Das Passwort deines Kontos wurde am ${format.dateTime(data.changedAt)} geändert. Andere Geräte wurden abgemeldet.`,
        "Warst du das nicht, setze dein Passwort sofort zurück und melde dich bei uns.",
      ],
      actions: [],
      inApp: { title: "Passwort geändert", body: `Am ${format.dateTime(data.changedAt)}.`, link: null },
    }),
    "email-change-verify": (data, format) => ({
      subject: "Bestätige deine neue E-Mail-Adresse",
      heading: "Bestätige deine neue E-Mail-Adresse",
      paragraphs: [
        `Bitte bestätige, dass du diese Adresse für dein Konto verwenden möchtest. Der Link funktioniert einmal und bis ${format.dateTime(data.expiresAt)}.`,
        "Hast du das nicht angefragt, ignoriere diese E-Mail: Es ändert sich nichts.",
      ],
      actions: [{ label: "Neue Adresse bestätigen", url: data.verifyUrl }],
      inApp: {
        title: "Bestätige deine neue Adresse",
        body: "Wir haben einen Link an die neue Adresse geschickt.",
        link: null,
      },
    }),
    "email-changed": (data, format) => ({
      subject: "Deine E-Mail-Adresse wurde geändert",
      heading: "Deine E-Mail-Adresse wurde geändert",
      paragraphs: [
        `Die E-Mail-Adresse deines Kontos wurde am ${format.dateTime(data.changedAt)} in ${data.newEmail} geändert. E-Mails gehen jetzt dorthin.`,
        "Warst du das nicht, melde dich sofort bei uns.",
      ],
      actions: [],
      inApp: { title: "E-Mail-Adresse geändert", body: `Jetzt ${data.newEmail}.`, link: null },
    }),
    "webhook-endpoint-disabled": (data, format) => {
      const one = data.failedDeliveries === 1;
      const given = one ? "1 Zustellung" : `${format.count(data.failedDeliveries)} Zustellungen`;
      return {
        subject: "Ein Webhook-Endpunkt wurde deaktiviert",
        heading: "Wir haben einen Webhook-Endpunkt deaktiviert",
        paragraphs: [
          `Dein Webhook-Endpunkt ${data.endpoint} ist immer wieder fehlgeschlagen. Deshalb senden wir ihm seit ${format.dateTime(data.disabledAt)} keine Ereignisse mehr.`,
          `Grund: ${data.reason}`,
          `${given} an ihn ${one ? "wurde" : "wurden"} aufgegeben.`,
          "Sobald der Endpunkt wieder funktioniert, kannst du ihn in der Admin-Konsole wieder aktivieren.",
        ],
        actions: [{ label: "Admin-Konsole öffnen", url: data.adminUrl }],
        inApp: {
          title: "Webhook-Endpunkt deaktiviert",
          body: `${data.endpoint} ist immer wieder fehlgeschlagen: ${given} aufgegeben. In der Admin-Konsole kannst du ihn wieder aktivieren.`,
          link: data.adminUrl,
        },
        push: { title: "Webhook-Endpunkt deaktiviert", body: data.endpoint, url: data.adminUrl },
      };
    },
  },
};
