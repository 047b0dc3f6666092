import type { Messages } from "../messages";

/** The text every page shares: the header, the footer, the session forms and the error pages. */
interface Common {
  siteName: string;
  skipToContent: string;
  nav: {
    home: string;
    courses: string;
    myLearning: string;
    account: string;
    notifications: string;
    studio: string;
    admin: string;
  };
  signIn: string;
  signUp: string;
  signOut: string;
  signedInAs: (name: string) => string;
  footer: string;
  languageName: string;
  languageLabel: string;
  apply: string;
  errors: {
    unavailable: string;
    tryAgain: string;
    forbidden: string;
    crossSiteForm: string;
  };
  notFound: { title: string; body: string; backHome: string };
  serverError: { title: string; body: string };
}

const en: Common = {
  siteName: "Edge Learning",
  skipToContent: "Skip to content",
  nav: {
    home: "Home",
    courses: "Courses",
    myLearning: "My learning",
    account: "Account",
    notifications: "Notifications",
    studio: "Studio",
    admin: "Admin",
  },
  signIn: "Sign in",
  signUp: "Sign up",
  signOut: "Sign out",
  signedInAs: (name) => `Signed in as ${name}`,
  footer: "Edge Learning — courses served from the edge.",
  languageName: "English",
  languageLabel: "Language",
  apply: "Apply",
  errors: {
    unavailable: "This is not available right now. Please try again in a moment.",
    tryAgain: "Try again",
    forbidden: "You cannot do that.",
    crossSiteForm: "This form was sent from another site, so it was refused. Please use the form on this site.",
  },
  notFound: {
    title: "Page not found",
    body: "There is no page at this address. It may have moved, or the link may be mistyped.",
    backHome: "Back to the home page",
  },
  serverError: {
    title: "Something went wrong",
    body: "The page could not be shown because of a problem on our side. Please try again in a moment.",
  },
};

const de: Common = {
  siteName: "Edge Learning",
  skipToContent: "Zum Inhalt springen",
  nav: {
    home: "Start",
    courses: "Kurse",
    myLearning: "Mein Lernen",
    account: "Konto",
    notifications: "Benachrichtigungen",
    studio: "Studio",
    admin: "Verwaltung",
  },
  signIn: "Anmelden",
  signUp: "Registrieren",
  signOut: "Abmelden",
  signedInAs: (name) => `Angemeldet als ${name}`,
  footer: "Edge Learning — Kurse direkt vom Edge.",
  languageName: "Deutsch",
  languageLabel: "Sprache",
  apply: "Übernehmen",
  errors: {
    unavailable: "Das ist gerade nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
    tryAgain: "Erneut versuchen",
    forbidden: "Das dürfen Sie nicht.",
    crossSiteForm:
      "Dieses Formular wurde von einer anderen Website gesendet und deshalb abgelehnt. Bitte nutzen Sie das Formular auf dieser Website.",
  },
  notFound: {
    title: "Seite nicht gefunden",
    body: "Unter dieser Adresse gibt es keine Seite. Vielleicht wurde sie verschoben, oder der Link ist falsch geschrieben.",
    backHome: "Zur Startseite",
  },
  serverError: {
    title: "Etwas ist schiefgelaufen",
    body: "Die Seite konnte wegen eines Problems bei uns nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.",
  },
};

export const commonMessages: Messages<Common> = { en, de };
