import type { Messages } from "../messages";

/** Sign-in, sign-up and the providers' sign-in. */
interface SessionText {
  signInTitle: string;
  signInIntro: string;
  signUpTitle: string;
  signUpIntro: string;
  email: string;
  password: string;
  name: string;
  passwordHint: string;
  submitSignIn: string;
  submitSignUp: string;
  forgotPassword: string;
  noAccount: string;
  haveAccount: string;
  orWith: string;
  withProvider: (name: string) => string;
  wrongCredentials: string;
  throttled: (seconds: number | undefined) => string;
  signInFailed: string;
  checkYourMail: string;
  completing: string;
  completingNeedsScript: string;
}

const en: SessionText = {
  signInTitle: "Sign in",
  signInIntro: "Welcome back. Sign in to continue learning.",
  signUpTitle: "Create your account",
  signUpIntro: "One account for every course: your progress and certificates stay with you.",
  email: "Email",
  password: "Password",
  name: "Your name",
  passwordHint: "At least 8 characters, not a common password. A phrase of several words is easy to remember.",
  submitSignIn: "Sign in",
  submitSignUp: "Create account",
  forgotPassword: "Forgot your password?",
  noAccount: "New here? Create an account",
  haveAccount: "Already have an account? Sign in",
  orWith: "Or sign in with your school",
  withProvider: (name) => `Sign in with ${name}`,
  wrongCredentials: "The email or the password is not right.",
  throttled: (seconds) =>
    seconds
      ? `Too many attempts. Please wait ${seconds} seconds and try again.`
      : "Too many attempts. Please wait a moment.",
  signInFailed: "Signing in did not work. Please try again.",
  checkYourMail:
    "If this address is new to us, your account is ready — sign in. If it already had an account, we sent that address an email.",
  completing: "Signing you in…",
  completingNeedsScript: "Finishing signing in needs JavaScript. Please enable it, or sign in with your email.",
};

const de: SessionText = {
  signInTitle: "Anmelden",
  signInIntro: "Willkommen zurück. Melden Sie sich an, um weiterzulernen.",
  signUpTitle: "Konto erstellen",
  signUpIntro: "Ein Konto für alle Kurse: Ihr Fortschritt und Ihre Zertifikate bleiben bei Ihnen.",
  email: "E-Mail",
  password: "Passwort",
  name: "Ihr Name",
  passwordHint: "Mindestens 8 Zeichen, kein gängiges Passwort. Ein Satz aus mehreren Wörtern ist leicht zu merken.",
  submitSignIn: "Anmelden",
  submitSignUp: "Konto erstellen",
  forgotPassword: "Passwort vergessen?",
  noAccount: "Neu hier? Konto erstellen",
  haveAccount: "Schon ein Konto? Anmelden",
  orWith: "Oder mit Ihrer Schule anmelden",
  withProvider: (name) => `Mit ${name} anmelden`,
  wrongCredentials: "E-Mail oder Passwort stimmen nicht.",
  throttled: (seconds) =>
    seconds
      ? `Zu viele Versuche. Bitte warten Sie ${seconds} Sekunden und versuchen Sie es erneut.`
      : "Zu viele Versuche. Bitte warten Sie einen Moment.",
  signInFailed: "Die Anmeldung hat nicht funktioniert. Bitte versuchen Sie es erneut.",
  checkYourMail:
    "Ist die Adresse neu, ist Ihr Konto bereit — melden Sie sich an. Gab es schon ein Konto, haben wir dieser Adresse eine E-Mail geschickt.",
  completing: "Sie werden angemeldet…",
  completingNeedsScript:
    "Zum Abschließen der Anmeldung wird JavaScript benötigt. Bitte aktivieren Sie es oder melden Sie sich mit Ihrer E-Mail an.",
};

export const sessionMessages: Messages<SessionText> = { en, de };
