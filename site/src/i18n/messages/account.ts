import type { Messages } from "../messages";

/** The account area: profile, sign-in and security, purchases, data, deletion, and the mailed-link pages. */
interface AccountText {
  title: string;
  navLabel: string;
  sections: { profile: string; security: string; purchases: string; data: string };
  saved: string;
  wrongPassword: string;
  throttled: (seconds: number | undefined) => string;
  profile: {
    intro: string;
    notReady: string;
    name: string;
    language: string;
    languageHint: string;
    otherLanguageOption: string;
    otherLanguage: string;
    otherLanguageHint: string;
    otherLanguageMissing: string;
    timeZone: string;
    timeZoneHint: string;
    submit: string;
    saved: string;
  };
  email: {
    heading: string;
    address: string;
    verified: string;
    notVerified: string;
    notVerifiedHint: string;
    resend: string;
    resent: string;
    changeHeading: string;
    changeIntro: string;
    newEmail: string;
    currentPassword: string;
    changeSubmit: string;
    changeSent: string;
  };
  password: {
    heading: string;
    intro: string;
    current: string;
    next: string;
    nextHint: string;
    again: string;
    submit: string;
    changed: string;
    mismatch: string;
  };
  sessions: { heading: string; intro: string; submit: string };
  signedOut: { title: string; body: string; passwordChanged: string; signIn: string };
  purchases: {
    intro: string;
    subscriptionsHeading: string;
    purchasesHeading: string;
    noPurchases: string;
    noSubscriptions: string;
    purchaseStatus: Record<"pending" | "expired" | "processing" | "failed" | "paid" | "disputed" | "refunded", string>;
    subscriptionStatus: Record<"incomplete" | "expired" | "active" | "past_due" | "canceling" | "canceled", string>;
    interval: Record<"month" | "year", (price: string) => string>;
    paidOn: (date: string) => string;
    orderedOn: (date: string) => string;
    refundedOn: (date: string) => string;
    renewsOn: (date: string) => string;
    endsOn: (date: string) => string;
    receipt: string;
    receiptNumber: string;
    item: string;
    amount: string;
    date: string;
    paidWith: string;
    providers: Record<"stripe" | "sandbox", string>;
    refundedAmount: string;
    openCourse: string;
    finishCheckout: string;
    refund: string;
    refundTitle: string;
    refundBody: (item: string, amount: string) => string;
    refundRule: string;
    refundConfirm: string;
    refunded: string;
    refundRefused: string;
    cancel: string;
    cancelTitle: string;
    cancelBody: (item: string, until: string | null) => string;
    cancelConfirm: string;
    canceled: string;
    keep: string;
    older: string;
    newest: string;
    gone: string;
  };
  data: {
    exportHeading: string;
    exportIntro: string;
    exportParts: string[];
    download: string;
    exportFailed: string;
    deleteHeading: string;
    deleteIntro: string;
    deleteLink: string;
  };
  deletion: {
    title: string;
    intro: string;
    removed: string[];
    kept: string;
    subscriptionsFirst: string;
    exportFirst: string;
    confirmLabel: string;
    confirmHint: (email: string) => string;
    mismatch: string;
    submit: string;
    cancel: string;
  };
  goodbye: { title: string; body: string; home: string };
  links: {
    refused: string;
    failed: string;
    verify: { title: string; description: string; ask: string; submit: string; done: string; invalid: string };
    confirm: {
      title: string;
      description: string;
      ask: string;
      submit: string;
      done: (email: string) => string;
      invalid: string;
      taken: string;
    };
    reset: {
      title: string;
      description: string;
      requestIntro: string;
      email: string;
      requestSubmit: string;
      requested: string;
      emailMissing: string;
      throttled: string;
      password: string;
      again: string;
      passwordHint: string;
      chooseSubmit: string;
      differ: string;
      done: string;
      signIn: string;
      invalid: string;
      newLink: string;
    };
  };
}

const en: AccountText = {
  title: "Your account",
  navLabel: "Account sections",
  sections: {
    profile: "Profile",
    security: "Sign-in and security",
    purchases: "Purchases",
    data: "Your data",
  },
  saved: "Saved.",
  wrongPassword: "The current password is not correct.",
  throttled: (seconds) =>
    seconds
      ? `Too many wrong passwords. Please wait ${seconds} seconds and try again.`
      : "Too many wrong passwords. Please wait a moment and try again.",
  profile: {
    intro: "How we greet you, which language the site and our emails speak, and the time zone dates are shown in.",
    notReady: "Your profile is still being set up. Please try again in a moment.",
    name: "Name",
    language: "Language",
    languageHint: "The site speaks English and German. Emails follow your choice where they can.",
    otherLanguageOption: "Another language…",
    otherLanguage: "Another language (optional)",
    otherLanguageHint: "A language tag such as pt-BR or fr-CA. When filled in, it is used instead of the choice above.",
    otherLanguageMissing: "Enter the language tag you want, such as pt-BR.",
    timeZone: "Time zone",
    timeZoneHint: "Dates and times in emails are shown in this time zone.",
    submit: "Save profile",
    saved: "Your profile is saved.",
  },
  email: {
    heading: "Email address",
    address: "Your address",
    verified: "Confirmed",
    notVerified: "Not confirmed yet",
    notVerifiedHint: "We sent you a link to confirm it. Did not get it? We can send a new one.",
    resend: "Send a new confirmation link",
    resent: "A new confirmation link is on its way. Earlier links no longer work.",
    changeHeading: "Change your email address",
    changeIntro: "We send a link to the new address. Nothing changes until you open it.",
    newEmail: "New email address",
    currentPassword: "Current password",
    changeSubmit: "Send the confirmation link",
    changeSent:
      "If the new address can be used, a link to confirm it is on its way there. Your address changes when you open it.",
  },
  password: {
    heading: "Password",
    intro: "You stay signed in here. Every other device is signed out.",
    current: "Current password",
    next: "New password",
    nextHint: "At least 8 characters, not a common password. A phrase of several words is easy to remember.",
    again: "New password again",
    submit: "Change password",
    changed: "Your password is changed. Every other device is signed out.",
    mismatch: "The two new passwords differ. Type the same new password twice.",
  },
  sessions: {
    heading: "Devices",
    intro: "Lost a phone, or signed in on a shared computer? Sign out everywhere, this device included.",
    submit: "Sign out everywhere",
  },
  signedOut: {
    title: "You are signed out everywhere",
    body: "Every device that was signed in to your account is signed out, this one too.",
    passwordChanged: "Your password is changed. Please sign in again with the new password.",
    signIn: "Sign in again",
  },
  purchases: {
    intro: "Your courses and subscriptions, with receipts. Newest first.",
    subscriptionsHeading: "Subscriptions",
    purchasesHeading: "Course purchases",
    noPurchases: "You have not bought a course yet.",
    noSubscriptions: "You have no subscription.",
    purchaseStatus: {
      pending: "Waiting for payment",
      expired: "Checkout expired",
      processing: "Payment processing",
      failed: "Payment failed",
      paid: "Paid",
      disputed: "Disputed",
      refunded: "Refunded",
    },
    subscriptionStatus: {
      incomplete: "Waiting for payment",
      expired: "Checkout expired",
      active: "Active",
      past_due: "Payment overdue",
      canceling: "Cancelled, still active",
      canceled: "Ended",
    },
    interval: { month: (price) => `${price} a month`, year: (price) => `${price} a year` },
    paidOn: (date) => `Paid on ${date}`,
    orderedOn: (date) => `Ordered on ${date}`,
    refundedOn: (date) => `Refunded on ${date}`,
    renewsOn: (date) => `Renews on ${date}`,
    endsOn: (date) => `Ends on ${date}`,
    receipt: "Receipt",
    receiptNumber: "Receipt number",
    item: "Item",
    amount: "Amount",
    date: "Date",
    paidWith: "Paid through",
    providers: { stripe: "Stripe", sandbox: "Test payments (sandbox)" },
    refundedAmount: "Refunded",
    openCourse: "Go to the course",
    finishCheckout: "Finish paying",
    refund: "Ask for a refund",
    refundTitle: "Refund this purchase?",
    refundBody: (item, amount) =>
      `${amount} for “${item}” goes back to the way you paid, and your access to the course ends at once.`,
    refundRule:
      "Refunds can be asked for within a limited time after paying. If it is too late, we tell you here and nothing changes.",
    refundConfirm: "Yes, refund it",
    refunded: "The purchase is refunded. The money goes back the way you paid.",
    refundRefused: "This purchase cannot be refunded here.",
    cancel: "Cancel subscription",
    cancelTitle: "Cancel this subscription?",
    cancelBody: (item, until) =>
      until
        ? `“${item}” will not renew. You keep access to every course until ${until}.`
        : `“${item}” will not renew. You keep access until the end of the period you paid for.`,
    cancelConfirm: "Yes, cancel it",
    canceled: "Your subscription is cancelled. You keep access until the end of the paid period.",
    keep: "No, go back",
    older: "Older",
    newest: "Newest",
    gone: "That purchase is not on this page any more. Please choose it again.",
  },
  data: {
    exportHeading: "Download your data",
    exportIntro: "One JSON file with everything we keep about you:",
    exportParts: [
      "your account and profile",
      "your courses, progress and certificates",
      "your purchases and subscriptions",
      "your notifications, preferences and what we sent you",
    ],
    download: "Download my data (JSON)",
    exportFailed:
      "Your data could not be put together just now, and we do not give out an incomplete copy. Please try again in a moment.",
    deleteHeading: "Delete your account",
    deleteIntro: "Erase your account and the personal data that goes with it. You can download your data first.",
    deleteLink: "Delete my account…",
  },
  deletion: {
    title: "Delete your account",
    intro: "Deleting your account cannot be undone. This is what happens:",
    removed: [
      "Your email address, password, name and profile are erased.",
      "Your access to courses, your progress and your certificates are removed.",
      "Your notifications and notification settings are removed.",
      "You are signed out on every device at once.",
    ],
    kept: "Records of payments (amounts and dates) are kept without your name, because tax law requires it.",
    subscriptionsFirst: "If you have a subscription, cancel it first under Purchases.",
    exportFirst: "Want a copy? Download your data before you continue.",
    confirmLabel: "Type your email address to confirm",
    confirmHint: (email) => `Your address is ${email}.`,
    mismatch: "That is not your account's email address. Nothing was deleted.",
    submit: "Delete my account for good",
    cancel: "Keep my account",
  },
  goodbye: {
    title: "Your account is deleted",
    body: "Your account and personal data are erased, and you are signed out everywhere. Thank you for learning with us.",
    home: "Go to the home page",
  },
  links: {
    refused: "This form can only be sent from this site. Open the link from your mail again.",
    failed: "That did not work just now. Please try again in a moment.",
    verify: {
      title: "Confirm your email address",
      description: "Confirm the email address of your account.",
      ask: "Press the button to confirm that this address is yours.",
      submit: "Confirm my email address",
      done: "Your email address is confirmed. Thank you.",
      invalid: "This link is invalid, expired or already used. Signed in, you can ask for a new one.",
    },
    confirm: {
      title: "Confirm your new email address",
      description: "Confirm the new email address of your account.",
      ask: "Press the button to make this address your account's.",
      submit: "Use this email address",
      done: (email) => `Done: your account's email address is now ${email}. Sign in with it from now on.`,
      invalid: "This link is invalid, expired or already used. Your address has not changed.",
      taken: "Another account uses this address now, so it cannot become yours. Your address has not changed.",
    },
    reset: {
      title: "Reset your password",
      description: "Set a new password for your account.",
      requestIntro: "Enter your account's email address. We send you a link to set a new password.",
      email: "Email address",
      requestSubmit: "Send me a link",
      requested: "If an account has this address, a link to reset its password is on its way. It works for an hour.",
      emailMissing: "Enter the email address of your account.",
      throttled: "Too many requests from here. Please wait a minute and try again.",
      password: "New password",
      again: "The same again",
      passwordHint: "At least 8 characters; a passphrase is fine. Very common passwords are refused.",
      chooseSubmit: "Set the new password",
      differ: "The two passwords differ. Type the same new password twice.",
      done: "Your password is changed, and you are signed out everywhere. Sign in with the new password.",
      signIn: "Sign in",
      invalid: "This link is invalid, expired or already used. Your password has not changed.",
      newLink: "Ask for a new link",
    },
  },
};

const de: AccountText = {
  title: "Ihr Konto",
  navLabel: "Kontobereiche",
  sections: {
    profile: "Profil",
    security: "Anmeldung und Sicherheit",
    purchases: "Käufe",
    data: "Ihre Daten",
  },
  saved: "Gespeichert.",
  wrongPassword: "Das aktuelle Passwort stimmt nicht.",
  throttled: (seconds) =>
    seconds
      ? `Zu viele falsche Passwörter. Bitte warten Sie ${seconds} Sekunden und versuchen Sie es erneut.`
      : "Zu viele falsche Passwörter. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
  profile: {
    intro:
      "Wie wir Sie ansprechen, in welcher Sprache die Website und unsere E-Mails erscheinen und in welcher Zeitzone wir Zeiten angeben.",
    notReady: "Ihr Profil wird gerade eingerichtet. Bitte versuchen Sie es gleich noch einmal.",
    name: "Name",
    language: "Sprache",
    languageHint: "Die Website gibt es auf Englisch und Deutsch. E-Mails folgen Ihrer Wahl, wo es geht.",
    otherLanguageOption: "Eine andere Sprache…",
    otherLanguage: "Eine andere Sprache (optional)",
    otherLanguageHint: "Ein Sprachkürzel wie pt-BR oder fr-CA. Wenn ausgefüllt, gilt es statt der Auswahl oben.",
    otherLanguageMissing: "Geben Sie das gewünschte Sprachkürzel ein, zum Beispiel pt-BR.",
    timeZone: "Zeitzone",
    timeZoneHint: "Datum und Uhrzeit in E-Mails werden in dieser Zeitzone angegeben.",
    submit: "Profil speichern",
    saved: "Ihr Profil ist gespeichert.",
  },
  email: {
    heading: "E-Mail-Adresse",
    address: "Ihre Adresse",
    verified: "Bestätigt",
    notVerified: "Noch nicht bestätigt",
    notVerifiedHint:
      "Wir haben Ihnen einen Link zur Bestätigung geschickt. Nicht angekommen? Wir senden gern einen neuen.",
    resend: "Neuen Bestätigungslink senden",
    resent: "Ein neuer Bestätigungslink ist unterwegs. Frühere Links funktionieren nicht mehr.",
    changeHeading: "E-Mail-Adresse ändern",
    changeIntro: "Wir senden einen Link an die neue Adresse. Erst wenn Sie ihn öffnen, ändert sich etwas.",
    newEmail: "Neue E-Mail-Adresse",
    currentPassword: "Aktuelles Passwort",
    changeSubmit: "Bestätigungslink senden",
    changeSent:
      "Wenn die neue Adresse verwendet werden kann, ist ein Bestätigungslink dorthin unterwegs. Ihre Adresse ändert sich, sobald Sie ihn öffnen.",
  },
  password: {
    heading: "Passwort",
    intro: "Hier bleiben Sie angemeldet. Alle anderen Geräte werden abgemeldet.",
    current: "Aktuelles Passwort",
    next: "Neues Passwort",
    nextHint: "Mindestens 8 Zeichen, kein gängiges Passwort. Ein Satz aus mehreren Wörtern ist leicht zu merken.",
    again: "Neues Passwort wiederholen",
    submit: "Passwort ändern",
    changed: "Ihr Passwort ist geändert. Alle anderen Geräte sind abgemeldet.",
    mismatch: "Die beiden neuen Passwörter unterscheiden sich. Geben Sie zweimal dasselbe ein.",
  },
  sessions: {
    heading: "Geräte",
    intro:
      "Telefon verloren oder an einem fremden Computer angemeldet? Melden Sie sich überall ab, auch auf diesem Gerät.",
    submit: "Überall abmelden",
  },
  signedOut: {
    title: "Sie sind überall abgemeldet",
    body: "Alle Geräte, die bei Ihrem Konto angemeldet waren, sind abgemeldet, auch dieses.",
    passwordChanged: "Ihr Passwort ist geändert. Bitte melden Sie sich mit dem neuen Passwort wieder an.",
    signIn: "Wieder anmelden",
  },
  purchases: {
    intro: "Ihre Kurse und Abos mit Belegen. Die neuesten zuerst.",
    subscriptionsHeading: "Abos",
    purchasesHeading: "Kurskäufe",
    noPurchases: "Sie haben noch keinen Kurs gekauft.",
    noSubscriptions: "Sie haben kein Abo.",
    purchaseStatus: {
      pending: "Wartet auf Zahlung",
      expired: "Bezahlvorgang abgelaufen",
      processing: "Zahlung in Bearbeitung",
      failed: "Zahlung fehlgeschlagen",
      paid: "Bezahlt",
      disputed: "Angefochten",
      refunded: "Erstattet",
    },
    subscriptionStatus: {
      incomplete: "Wartet auf Zahlung",
      expired: "Bezahlvorgang abgelaufen",
      active: "Aktiv",
      past_due: "Zahlung überfällig",
      canceling: "Gekündigt, noch aktiv",
      canceled: "Beendet",
    },
    interval: { month: (price) => `${price} pro Monat`, year: (price) => `${price} pro Jahr` },
    paidOn: (date) => `Bezahlt am ${date}`,
    orderedOn: (date) => `Bestellt am ${date}`,
    refundedOn: (date) => `Erstattet am ${date}`,
    renewsOn: (date) => `Verlängert sich am ${date}`,
    endsOn: (date) => `Endet am ${date}`,
    receipt: "Beleg",
    receiptNumber: "Belegnummer",
    item: "Artikel",
    amount: "Betrag",
    date: "Datum",
    paidWith: "Bezahlt über",
    providers: { stripe: "Stripe", sandbox: "Testzahlungen (Sandbox)" },
    refundedAmount: "Erstattet",
    openCourse: "Zum Kurs",
    finishCheckout: "Bezahlung abschließen",
    refund: "Erstattung beantragen",
    refundTitle: "Diesen Kauf erstatten?",
    refundBody: (item, amount) =>
      `${amount} für „${item}“ gehen auf dem Zahlungsweg zurück, und Ihr Zugang zum Kurs endet sofort.`,
    refundRule:
      "Erstattungen können nur innerhalb einer bestimmten Frist nach der Zahlung beantragt werden. Ist es zu spät, sagen wir es Ihnen hier, und nichts ändert sich.",
    refundConfirm: "Ja, erstatten",
    refunded: "Der Kauf ist erstattet. Das Geld geht auf dem Zahlungsweg zurück.",
    refundRefused: "Dieser Kauf kann hier nicht erstattet werden.",
    cancel: "Abo kündigen",
    cancelTitle: "Dieses Abo kündigen?",
    cancelBody: (item, until) =>
      until
        ? `„${item}“ verlängert sich nicht mehr. Bis ${until} behalten Sie Zugang zu allen Kursen.`
        : `„${item}“ verlängert sich nicht mehr. Bis zum Ende des bezahlten Zeitraums behalten Sie Zugang.`,
    cancelConfirm: "Ja, kündigen",
    canceled: "Ihr Abo ist gekündigt. Bis zum Ende des bezahlten Zeitraums behalten Sie Zugang.",
    keep: "Nein, zurück",
    older: "Ältere",
    newest: "Neueste",
    gone: "Dieser Kauf steht nicht mehr auf dieser Seite. Bitte wählen Sie ihn erneut.",
  },
  data: {
    exportHeading: "Ihre Daten herunterladen",
    exportIntro: "Eine JSON-Datei mit allem, was wir über Sie speichern:",
    exportParts: [
      "Ihr Konto und Ihr Profil",
      "Ihre Kurse, Ihr Fortschritt und Ihre Zertifikate",
      "Ihre Käufe und Abos",
      "Ihre Benachrichtigungen, Einstellungen und was wir Ihnen geschickt haben",
    ],
    download: "Meine Daten herunterladen (JSON)",
    exportFailed:
      "Ihre Daten konnten gerade nicht zusammengestellt werden, und eine unvollständige Kopie geben wir nicht heraus. Bitte versuchen Sie es gleich noch einmal.",
    deleteHeading: "Konto löschen",
    deleteIntro:
      "Löschen Sie Ihr Konto und die dazugehörigen persönlichen Daten. Sie können Ihre Daten vorher herunterladen.",
    deleteLink: "Mein Konto löschen…",
  },
  deletion: {
    title: "Konto löschen",
    intro: "Das Löschen Ihres Kontos lässt sich nicht rückgängig machen. Das passiert dabei:",
    removed: [
      "Ihre E-Mail-Adresse, Ihr Passwort, Ihr Name und Ihr Profil werden gelöscht.",
      "Ihr Zugang zu Kursen, Ihr Fortschritt und Ihre Zertifikate werden entfernt.",
      "Ihre Benachrichtigungen und Benachrichtigungseinstellungen werden entfernt.",
      "Sie werden sofort auf allen Geräten abgemeldet.",
    ],
    kept: "Zahlungsbelege (Beträge und Daten) bleiben ohne Ihren Namen erhalten, weil das Steuerrecht es verlangt.",
    subscriptionsFirst: "Wenn Sie ein Abo haben, kündigen Sie es zuerst unter „Käufe“.",
    exportFirst: "Möchten Sie eine Kopie? Laden Sie Ihre Daten herunter, bevor Sie fortfahren.",
    confirmLabel: "Geben Sie zur Bestätigung Ihre E-Mail-Adresse ein",
    confirmHint: (email) => `Ihre Adresse ist ${email}.`,
    mismatch: "Das ist nicht die E-Mail-Adresse Ihres Kontos. Es wurde nichts gelöscht.",
    submit: "Mein Konto endgültig löschen",
    cancel: "Konto behalten",
  },
  goodbye: {
    title: "Ihr Konto ist gelöscht",
    body: "Ihr Konto und Ihre persönlichen Daten sind gelöscht, und Sie sind überall abgemeldet. Danke, dass Sie mit uns gelernt haben.",
    home: "Zur Startseite",
  },
  links: {
    refused:
      "Dieses Formular kann nur von dieser Website gesendet werden. Öffnen Sie den Link aus Ihrer E-Mail erneut.",
    failed: "Das hat gerade nicht geklappt. Bitte versuchen Sie es gleich noch einmal.",
    verify: {
      title: "E-Mail-Adresse bestätigen",
      description: "Bestätigen Sie die E-Mail-Adresse Ihres Kontos.",
      ask: "Drücken Sie den Knopf, um zu bestätigen, dass diese Adresse Ihnen gehört.",
      submit: "Meine E-Mail-Adresse bestätigen",
      done: "Ihre E-Mail-Adresse ist bestätigt. Danke.",
      invalid: "Dieser Link ist ungültig, abgelaufen oder schon benutzt. Angemeldet können Sie einen neuen anfordern.",
    },
    confirm: {
      title: "Neue E-Mail-Adresse bestätigen",
      description: "Bestätigen Sie die neue E-Mail-Adresse Ihres Kontos.",
      ask: "Drücken Sie den Knopf, um diese Adresse zur Adresse Ihres Kontos zu machen.",
      submit: "Diese E-Mail-Adresse verwenden",
      done: (email) =>
        `Erledigt: Die E-Mail-Adresse Ihres Kontos ist jetzt ${email}. Melden Sie sich ab jetzt damit an.`,
      invalid: "Dieser Link ist ungültig, abgelaufen oder schon benutzt. Ihre Adresse hat sich nicht geändert.",
      taken:
        "Ein anderes Konto verwendet diese Adresse inzwischen, deshalb kann sie nicht Ihre werden. Ihre Adresse hat sich nicht geändert.",
    },
    reset: {
      title: "Passwort zurücksetzen",
      description: "Legen Sie ein neues Passwort für Ihr Konto fest.",
      requestIntro:
        "Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link für ein neues Passwort.",
      email: "E-Mail-Adresse",
      requestSubmit: "Link senden",
      requested:
        "Wenn es ein Konto mit dieser Adresse gibt, ist ein Link zum Zurücksetzen des Passworts unterwegs. Er gilt eine Stunde.",
      emailMissing: "Geben Sie die E-Mail-Adresse Ihres Kontos ein.",
      throttled: "Zu viele Anfragen von hier. Bitte warten Sie eine Minute und versuchen Sie es erneut.",
      password: "Neues Passwort",
      again: "Noch einmal dasselbe",
      passwordHint: "Mindestens 8 Zeichen; ein Satz ist gut. Sehr gängige Passwörter werden abgelehnt.",
      chooseSubmit: "Neues Passwort festlegen",
      differ: "Die beiden Passwörter unterscheiden sich. Geben Sie zweimal dasselbe neue Passwort ein.",
      done: "Ihr Passwort ist geändert, und Sie sind überall abgemeldet. Melden Sie sich mit dem neuen Passwort an.",
      signIn: "Anmelden",
      invalid: "Dieser Link ist ungültig, abgelaufen oder schon benutzt. Ihr Passwort hat sich nicht geändert.",
      newLink: "Neuen Link anfordern",
    },
  },
};

export const accountMessages: Messages<AccountText> = { en, de };
