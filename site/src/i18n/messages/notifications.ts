import type { Messages } from "../messages";

type Category = "security" | "purchases" | "subscriptions" | "learning" | "onboarding";
type Channel = "email" | "push" | "in_app";

/** The inbox, the preferences and the header's unread badge. */
interface NotificationsText {
  title: string;
  intro: string;
  preferencesLink: string;
  filterLabel: string;
  all: string;
  unreadOnly: string;
  unread: string;
  markRead: string;
  markAllRead: string;
  markedAllRead: string;
  empty: string;
  emptyUnread: string;
  open: string;
  older: string;
  newest: string;
  newArrived: string;
  showNew: string;
  gone: string;
  badge: {
    /** After the link's visible name: "Notifications, 3 unread". `{n}` is the count (the live script fills it in too). */
    unread: string;
    /** Announced when a notice arrives while the page is open. `{title}` is its title. */
    arrived: string;
  };
  preferences: {
    title: string;
    intro: string;
    back: string;
    tableCaption: string;
    kind: string;
    categories: Record<Category, { name: string; description: string }>;
    channels: Record<Channel, string>;
    locked: string;
    save: string;
    saved: string;
  };
}

const en: NotificationsText = {
  title: "Notifications",
  intro: "What happened on your account: purchases, subscriptions, finished courses and more.",
  preferencesLink: "Notification settings",
  filterLabel: "Show",
  all: "All",
  unreadOnly: "Unread",
  unread: "Unread",
  markRead: "Mark as read",
  markAllRead: "Mark all as read",
  markedAllRead: "All notifications are marked as read.",
  empty: "No notifications yet. We will let you know here when something happens.",
  emptyUnread: "You have read everything.",
  open: "Open",
  older: "Older",
  newest: "Newest",
  newArrived: "A new notification has arrived.",
  showNew: "Show it",
  gone: "That notification is no longer there.",
  badge: {
    unread: ", {n} unread",
    arrived: "New notification: {title}",
  },
  preferences: {
    title: "Notification settings",
    intro: "Choose what reaches you, and how. Everything is on until you turn it off.",
    back: "Back to notifications",
    tableCaption: "Which notifications reach you on which channel",
    kind: "Kind",
    categories: {
      security: {
        name: "Security and account",
        description:
          "Password and email address changes, confirmation links; for admins, webhook endpoints that were disabled.",
      },
      purchases: { name: "Purchases", description: "Purchase confirmations and refunds." },
      subscriptions: { name: "Subscriptions", description: "When a subscription starts, is about to end, or ends." },
      learning: { name: "Learning", description: "Congratulations when you finish a course." },
      onboarding: { name: "Getting started", description: "Welcome and tips for new learners." },
    },
    channels: { email: "Email", push: "Browser push", in_app: "In the app" },
    locked: "Always on: this is how you learn that someone else changed your account.",
    save: "Save settings",
    saved: "Your notification settings are saved.",
  },
};

const de: NotificationsText = {
  title: "Benachrichtigungen",
  intro: "Was in Ihrem Konto passiert ist: Käufe, Abos, abgeschlossene Kurse und mehr.",
  preferencesLink: "Benachrichtigungseinstellungen",
  filterLabel: "Anzeigen",
  all: "Alle",
  unreadOnly: "Ungelesen",
  unread: "Ungelesen",
  markRead: "Als gelesen markieren",
  markAllRead: "Alle als gelesen markieren",
  markedAllRead: "Alle Benachrichtigungen sind als gelesen markiert.",
  empty: "Noch keine Benachrichtigungen. Wir melden uns hier, sobald etwas passiert.",
  emptyUnread: "Sie haben alles gelesen.",
  open: "Öffnen",
  older: "Ältere",
  newest: "Neueste",
  newArrived: "Eine neue Benachrichtigung ist eingetroffen.",
  showNew: "Anzeigen",
  gone: "Diese Benachrichtigung gibt es nicht mehr.",
  badge: {
    unread: ", {n} ungelesen",
    arrived: "Neue Benachrichtigung: {title}",
  },
  preferences: {
    title: "Benachrichtigungseinstellungen",
    intro: "Wählen Sie, was Sie erreicht und auf welchem Weg. Alles ist eingeschaltet, bis Sie es ausschalten.",
    back: "Zurück zu den Benachrichtigungen",
    tableCaption: "Welche Benachrichtigungen Sie auf welchem Weg erreichen",
    kind: "Art",
    categories: {
      security: {
        name: "Sicherheit und Konto",
        description:
          "Änderungen von Passwort und E-Mail-Adresse, Bestätigungslinks; für Admins abgeschaltete Webhook-Endpunkte.",
      },
      purchases: { name: "Käufe", description: "Kaufbestätigungen und Erstattungen." },
      subscriptions: { name: "Abos", description: "Wenn ein Abo beginnt, bald endet oder endet." },
      learning: { name: "Lernen", description: "Glückwünsche, wenn Sie einen Kurs abschließen." },
      onboarding: { name: "Erste Schritte", description: "Willkommen und Tipps für neue Lernende." },
    },
    channels: { email: "E-Mail", push: "Browser-Push", in_app: "In der App" },
    locked: "Immer an: So erfahren Sie, wenn jemand anderes Ihr Konto geändert hat.",
    save: "Einstellungen speichern",
    saved: "Ihre Benachrichtigungseinstellungen sind gespeichert.",
  },
};

export const notificationsMessages: Messages<NotificationsText> = { en, de };

/** `{n}` and `{title}` in a message, filled in (the live script does the same with the same text). */
export function fillIn(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
