import type { Copy } from "./types.ts";

const CATEGORY_NAMES = {
  security: "security",
  purchases: "purchase",
  subscriptions: "subscription",
  learning: "learning",
  onboarding: "welcome",
} as const;

/** English: the default for every locale without its own copy. */
export const en: Copy = {
  greeting: (name) => (name ? `Hello ${name},` : "Hello,"),
  footer: "Edge Learning · You get this mail because you have an account with us.",
  copyLinkHint: "If the button does not work, copy this address into your browser:",
  unsubscribe: (category) => `Unsubscribe from ${CATEGORY_NAMES[category]} mail`,
  templates: {
    welcome: (data) => ({
      subject: "Welcome to Edge Learning",
      heading: "Welcome to Edge Learning",
      paragraphs: [
        "Your account is ready. Browse the catalog and start learning whenever it suits you: your progress is saved on every device.",
      ],
      actions: [{ label: "Browse the catalog", url: data.catalogUrl }],
      inApp: { title: "Welcome to Edge Learning", body: "Your account is ready.", link: data.catalogUrl },
    }),
    "purchase-confirmed": (data) => ({
      subject: `Your purchase: ${data.courseTitle}`,
      heading: "Thank you for your purchase",
      paragraphs: [`“${data.courseTitle}” is now yours. You can start right away.`],
      actions: [{ label: "Open the course", url: data.courseUrl }],
      inApp: { title: "Purchase confirmed", body: `“${data.courseTitle}” is now yours.`, link: data.courseUrl },
    }),
    "subscription-started": (data, format) => ({
      subject: "Your subscription has started",
      heading: "Your subscription has started",
      paragraphs: [
        `Thank you for subscribing. Every course in the catalog is open to you. Your ${data.interval === "year" ? "yearly" : "monthly"} subscription renews on ${format.date(data.currentPeriodEnd)}.`,
      ],
      actions: [],
      inApp: {
        title: "Subscription started",
        body: `Renews on ${format.date(data.currentPeriodEnd)}.`,
        link: null,
      },
    }),
    "subscription-ending": (data, format) => ({
      subject: "Your subscription is ending",
      heading: "Your subscription is ending",
      paragraphs: [
        `Your subscription ends on ${format.date(data.endsAt)} and will not renew. Until then every course stays open to you.`,
      ],
      actions: [],
      inApp: { title: "Subscription ending", body: `Ends on ${format.date(data.endsAt)}.`, link: null },
    }),
    "subscription-ended": (data, format) => ({
      subject: "Your subscription has ended",
      heading: "Your subscription has ended",
      paragraphs: [
        `Your subscription ended on ${format.date(data.endedAt)}. Courses you bought stay yours; you can subscribe again at any time.`,
      ],
      actions: [{ label: "Browse the catalog", url: data.catalogUrl }],
      inApp: { title: "Subscription ended", body: `Ended on ${format.date(data.endedAt)}.`, link: data.catalogUrl },
    }),
    "refund-processed": (data, format) => {
      const amount = format.money(data.amountMinor, data.currency);
      const what = data.courseTitle ? ` for “${data.courseTitle}”` : "";
      return {
        subject: `Your refund of ${amount}`,
        heading: "Your refund is on its way",
        paragraphs: [
          `We have refunded ${amount}${what}. Depending on your bank it can take a few days to show up on your statement.`,
        ],
        actions: [],
        inApp: { title: "Refund processed", body: `${amount}${what}.`, link: null },
      };
    },
    "course-completed": (data) => ({
      subject: `Congratulations: you completed ${data.courseTitle}`,
      heading: "Congratulations!",
      paragraphs: [`You completed “${data.courseTitle}”. Your certificate is ready.`],
      actions: [
        { label: "View your certificate", url: data.certificateUrl },
        { label: "Back to the course", url: data.courseUrl },
      ],
      inApp: { title: "Course completed", body: `You completed “${data.courseTitle}”.`, link: data.certificateUrl },
    }),
    "verify-email": (data, format) => ({
      subject: "Confirm your email address",
      heading: "Confirm your email address",
      paragraphs: [
        `Please confirm that this address belongs to you. The link works once and until ${format.dateTime(data.expiresAt)}.`,
        "If you did not create an account, you can ignore this mail.",
      ],
      actions: [{ label: "Confirm my address", url: data.verifyUrl }],
      inApp: { title: "Confirm your email address", body: "We sent you a link.", link: null },
    }),
    "password-reset": (data, format) => ({
      subject: "Reset your password",
      heading: "Reset your password",
      paragraphs: [
        `Someone asked to reset the password of your account. The link works once and until ${format.dateTime(data.expiresAt)}.`,
        "If it was not you, ignore this mail: your password stays as it is.",
      ],
      actions: [{ label: "Choose a new password", url: data.resetUrl }],
      inApp: { title: "Password reset requested", body: "We sent you a link by mail.", link: null },
    }),
    "account-exists": (data) => ({
      subject: "You already have an account",
      heading: "You already have an account",
      paragraphs: [
        "Someone tried to register a new account with this address. You already have one, so nothing was created.",
        "If it was you, sign in, or reset your password if you forgot it. If not, you can ignore this mail.",
      ],
      actions: [
        { label: "Sign in", url: data.signInUrl },
        { label: "Reset your password", url: data.resetUrl },
      ],
      inApp: { title: "Registration attempt", body: "Someone tried to register with your address.", link: null },
    }),
    "password-changed": (data, format) => ({
      subject: "Your password was changed",
      heading: "Your password was changed",
      paragraphs: [
        `The password of your account was changed on ${format.dateTime(data.changedAt)}. Other devices have been signed out.`,
        "If you did not do this, reset your password at once and contact us.",
      ],
      actions: [],
      inApp: { title: "Password changed", body: `On ${format.dateTime(data.changedAt)}.`, link: null },
    }),
    "email-change-verify": (data, format) => ({
      subject: "Confirm your new email address",
      heading: "Confirm your new email address",
      paragraphs: [
        `Please confirm that you want to use this address for your account. The link works once and until ${format.dateTime(data.expiresAt)}.`,
        "If you did not ask for this, ignore this mail: nothing changes.",
      ],
      actions: [{ label: "Confirm the new address", url: data.verifyUrl }],
      inApp: { title: "Confirm your new address", body: "We sent a link to the new address.", link: null },
    }),
    "email-changed": (data, format) => ({
      subject: "Your email address was changed",
      heading: "Your email address was changed",
      paragraphs: [
        `The email address of your account was changed to ${data.newEmail} on ${format.dateTime(data.changedAt)}. Mail now goes there.`,
        "If you did not do this, contact us at once.",
      ],
      actions: [],
      inApp: { title: "Email address changed", body: `Now ${data.newEmail}.`, link: null },
    }),
    "webhook-endpoint-disabled": (data, format) => {
      const given = data.failedDeliveries === 1 ? "1 delivery" : `${format.count(data.failedDeliveries)} deliveries`;
      return {
        subject: "A webhook endpoint was disabled",
        heading: "We disabled a webhook endpoint",
        paragraphs: [
          `Your webhook endpoint ${data.endpoint} kept failing, so we stopped sending events to it on ${format.dateTime(data.disabledAt)}.`,
          `Why: ${data.reason}`,
          `${given} to it ${data.failedDeliveries === 1 ? "was" : "were"} given up.`,
          "Once the endpoint works again, you can enable it again in the admin console.",
        ],
        actions: [{ label: "Open the admin console", url: data.adminUrl }],
        inApp: {
          title: "Webhook endpoint disabled",
          body: `${data.endpoint} kept failing: ${given} given up. Enable it again in the admin console.`,
          link: data.adminUrl,
        },
        push: { title: "Webhook endpoint disabled", body: data.endpoint, url: data.adminUrl },
      };
    },
  },
};
