import { API_SCOPE_DESCRIPTIONS, type ApiScope } from "@platform/contracts";
import type { Messages } from "../messages";

type PurchaseStatus = "pending" | "expired" | "processing" | "failed" | "paid" | "disputed" | "refunded";
type Role = "learner" | "instructor" | "admin";
type Section = "overview" | "users" | "providers" | "plans" | "payments" | "mismatches" | "deadLetters" | "apiKeys";

/** The admin console (/admin): people, sign-in providers, plans, payments, mismatches, dead letters. */
interface AdminText {
  title: string;
  /** The header's link. */
  navLabel: string;
  sections: Record<Section, string>;
  overview: { intro: string; cards: Record<Exclude<Section, "overview">, string> };
  forbidden: { title: string; body: string; signedInAs: (name: string) => string; backHome: string };
  refused: string;
  unavailable: string;
  stale: string;
  throttled: (seconds: number | undefined) => string;
  paging: { label: string; previous: string; next: string };
  roles: Record<Role, string>;
  users: {
    intro: string;
    search: string;
    searchHint: string;
    searchSubmit: string;
    clear: string;
    none: string;
    noMatch: (query: string) => string;
    resultsFor: (query: string) => string;
    manage: (name: string) => string;
    manageShort: string;
    noName: string;
    erased: string;
  };
  person: {
    back: string;
    profilePending: string;
    email: string;
    roles: string;
    status: string;
    statuses: { active: string; disabled: string };
    sessions: string;
    memberSince: string;
    language: string;
    timeZone: string;
    payments: string;
    yourself: string;
    rolesHeading: string;
    rolesHint: string;
    rolesSubmit: string;
    rolesNone: string;
    rolesSaved: string;
    accessHeading: string;
    activeBody: string;
    disabledBody: string;
    disable: string;
    enable: string;
    disableTitle: (name: string) => string;
    disableBody: string;
    disableConfirm: string;
    disableBack: string;
    disabled: string;
    enabled: string;
    eraseHeading: string;
    eraseIntro: string;
    erase: string;
    eraseTitle: (name: string) => string;
    eraseRemoved: string[];
    eraseKept: string;
    eraseField: string;
    eraseHint: (email: string) => string;
    eraseMismatch: string;
    eraseConfirm: string;
    eraseBack: string;
  };
  providers: {
    intro: string;
    none: string;
    enabled: string;
    disabled: string;
    issuer: string;
    clientId: string;
    audience: string;
    roleClaim: string;
    roleMap: string;
    noRoleMap: string;
    secret: string;
    secretSet: string;
    secretNone: string;
    disable: string;
    enable: string;
    remove: string;
    disableTitle: (slug: string) => string;
    disableBody: string;
    disableConfirm: string;
    removeTitle: (slug: string) => string;
    removeBody: string;
    removeConfirm: string;
    keep: string;
    addHeading: string;
    addIntro: string;
    slug: string;
    slugHint: string;
    issuerHint: string;
    clientSecret: string;
    clientSecretHint: string;
    audienceHint: string;
    roleClaimHint: string;
    roleMapHint: string;
    roleMapInvalid: (line: string) => string;
    add: string;
    done: { added: string; disabled: string; enabled: string; removed: string };
  };
  plans: {
    intro: string;
    none: string;
    active: string;
    retired: string;
    intervals: { month: string; year: string };
    perInterval: { month: (price: string) => string; year: (price: string) => string };
    edit: string;
    retire: string;
    offer: string;
    retireTitle: (name: string) => string;
    retireBody: string;
    retireConfirm: string;
    keep: string;
    editHeading: (name: string) => string;
    createHeading: string;
    createIntro: string;
    name: string;
    interval: string;
    intervalHint: string;
    amount: string;
    amountHint: string;
    amountInvalid: string;
    currency: string;
    activeNow: string;
    create: string;
    save: string;
    cancel: string;
    runningKeepPrice: string;
    done: { created: string; saved: string; retired: string; offered: string };
  };
  payments: {
    intro: string;
    filters: string;
    status: string;
    anyStatus: string;
    buyer: string;
    buyerHint: string;
    course: string;
    courseHint: string;
    apply: string;
    clear: string;
    none: string;
    statuses: Record<PurchaseStatus, string>;
    ordered: (date: string) => string;
    paid: (date: string) => string;
    refundedOn: (date: string) => string;
    receipt: string;
    buyerLink: string;
    provider: Record<"stripe" | "sandbox", string>;
    refund: string;
    refundOf: (item: string) => string;
    refundTitle: (item: string) => string;
    refundBody: (amount: string, provider: string) => string;
    refundConfirm: (amount: string) => string;
    keep: string;
    refundRefused: string;
    refunded: string;
  };
  mismatches: {
    intro: string;
    open: string;
    resolved: string;
    noneOpen: string;
    noneResolved: string;
    event: string;
    payment: string;
    subscription: string;
    decisions: { refused: string; applied: string };
    field: string;
    expected: string;
    received: string;
    nothing: string;
    resolvedAs: { accepted: string; dismissed: string };
    resolvedBy: (date: string) => string;
    resolve: string;
    resolveTitle: string;
    resolveBody: string;
    accept: string;
    acceptHint: string;
    dismiss: string;
    dismissHint: string;
    note: string;
    noteHint: string;
    resolveConfirm: string;
    keep: string;
    choose: string;
    noteMissing: string;
    done: string;
  };
  deadLetters: {
    intro: string;
    none: string;
    notAnEvent: string;
    received: (date: string) => string;
    attempts: (count: number) => string;
    replayedOn: (date: string) => string;
    noReason: string;
    inspect: (what: string) => string;
    inspectShort: string;
    receivedAt: string;
    attemptsLabel: string;
    replayedAt: string;
    notReplayed: string;
    back: string;
    eventId: string;
    messageId: string;
    reason: string;
    body: string;
    bodyLabel: string;
    replay: string;
    replayTitle: string;
    replayBody: string;
    replayConfirm: string;
    replayBack: string;
    replayed: string;
  };
  apiKeys: {
    intro: string;
    none: string;
    active: string;
    revoked: string;
    prefix: string;
    scopes: string;
    actsFor: string;
    created: string;
    lastUsed: string;
    never: string;
    rotation: string;
    notRotated: string;
    graceUntil: (date: string) => string;
    rotatedOn: (date: string) => string;
    revokedOn: (date: string) => string;
    rotateShort: string;
    revokeShort: string;
    rotate: (name: string) => string;
    revoke: (name: string) => string;
    rotateTitle: (name: string) => string;
    rotateBody: string;
    grace: string;
    graceHint: string;
    graceOptions: { none: string; hour: string; day: string; week: string };
    rotateConfirm: string;
    revokeTitle: (name: string) => string;
    revokeBody: string;
    revokeConfirm: string;
    keep: string;
    createHeading: string;
    createIntro: string;
    name: string;
    nameHint: string;
    nameMissing: string;
    nameTooLong: string;
    scopesLegend: string;
    scopesHint: string;
    scopesMissing: string;
    scopeDescriptions: Record<ApiScope, string>;
    create: string;
    issuedHeading: { created: (name: string) => string; rotated: (name: string) => string };
    issuedWarning: string;
    issuedLabel: string;
    copyHint: string;
    issuedUse: string;
    oldSecretUntil: (date: string) => string;
    oldSecretEnded: string;
    done: { revoked: string };
  };
}

const en: AdminText = {
  title: "Administration",
  navLabel: "Administration sections",
  sections: {
    overview: "Overview",
    users: "People",
    providers: "Sign-in providers",
    plans: "Plans",
    payments: "Payments",
    mismatches: "Mismatches",
    deadLetters: "Dead letters",
    apiKeys: "API keys",
  },
  overview: {
    intro: "Run the school: people and their roles, how they sign in, what is sold, and the events that went wrong.",
    cards: {
      users: "Find people, change their roles, disable or erase an account.",
      providers: "The external OpenID providers people can sign in with.",
      plans: "The all-access subscription plans on offer, and their prices.",
      payments: "Every course purchase, and refunds.",
      mismatches: "Stripe events that disagreed with the payment they named.",
      deadLetters: "Messages the event queue gave up on: read them, and replay them once fixed.",
      apiKeys: "Keys with scopes for integrations that call the API: make, rotate and revoke them.",
    },
  },
  forbidden: {
    title: "Admins only",
    body: "This part of the site is for the school's administrators. Your account does not have the admin role, so nothing here was shown or changed.",
    signedInAs: (name) => `You are signed in as ${name}.`,
    backHome: "Back to the home page",
  },
  refused: "That was not done.",
  unavailable: "This is not available right now. Please try again in a moment.",
  stale: "That item is no longer on this page, or it can no longer be changed this way. The list below is current.",
  throttled: (seconds) =>
    seconds
      ? `Too many requests. Please wait ${seconds} seconds and try again.`
      : "Too many requests. Please wait a moment.",
  paging: { label: "Pages", previous: "Previous page", next: "Next page" },
  roles: { learner: "Learner", instructor: "Instructor", admin: "Admin" },
  users: {
    intro: "Find people by name or email address. Open someone to change their roles, disable or erase their account.",
    search: "Name or email",
    searchHint: "Part of a name or an address is enough.",
    searchSubmit: "Search",
    clear: "Show everyone",
    none: "Nobody has an account yet.",
    noMatch: (query) => `Nobody matches “${query}”.`,
    resultsFor: (query) => `People matching “${query}”`,
    manage: (name) => `Manage ${name}`,
    manageShort: "Manage",
    noName: "(no name)",
    erased: "The account is erased: its personal data is removed and every session of it has ended.",
  },
  person: {
    back: "People",
    profilePending: "The profile is being created (it follows registration within seconds).",
    email: "Email",
    roles: "Roles",
    status: "Status",
    statuses: { active: "Active", disabled: "Disabled" },
    sessions: "Signed-in sessions",
    memberSince: "Account created",
    language: "Language",
    timeZone: "Time zone",
    payments: "Their payments",
    yourself:
      "This is your own account. You cannot remove your own admin role, disable or erase yourself here; your account page can erase it.",
    rolesHeading: "Roles",
    rolesHint:
      "Takes effect within seconds: access tokens issued before stop working, and the next refresh carries the new roles.",
    rolesSubmit: "Save roles",
    rolesNone: "Choose at least one role.",
    rolesSaved: "The roles are saved. They take effect within seconds.",
    accessHeading: "Access",
    activeBody: "The account is active: they can sign in.",
    disabledBody: "The account is disabled: they cannot sign in, and every session of it has ended.",
    disable: "Disable account…",
    enable: "Enable account",
    disableTitle: (name) => `Disable ${name}?`,
    disableBody:
      "They are signed out everywhere at once and cannot sign in until an admin enables the account again. Their courses, purchases and progress stay.",
    disableConfirm: "Disable account",
    disableBack: "Keep it active",
    disabled: "The account is disabled, and every session of it has ended.",
    enabled: "The account is active again. They can sign in.",
    eraseHeading: "Erase",
    eraseIntro: "Erasure removes this person's personal data from every service. It cannot be undone.",
    erase: "Erase account…",
    eraseTitle: (name) => `Erase ${name}'s account for good?`,
    eraseRemoved: [
      "The account, its sign-in and every session: they are signed out everywhere.",
      "The profile, enrollments, progress, notifications and preferences.",
      "The link between them and their payments (the records of a sale are kept without it).",
    ],
    eraseKept: "Courses they wrote stay published. Nothing brings the account back.",
    eraseField: "Type their email address to confirm",
    eraseHint: (email) => `The account's address is ${email}.`,
    eraseMismatch: "That is not this account's address. Nothing was erased.",
    eraseConfirm: "Erase account for good",
    eraseBack: "Keep the account",
  },
  providers: {
    intro:
      "External OpenID Connect providers people can sign in with (“Sign in with …”). Their tokens are trusted only while the provider is enabled.",
    none: "No provider is configured: people sign in with their email and password.",
    enabled: "Enabled",
    disabled: "Disabled",
    issuer: "Issuer",
    clientId: "Client ID",
    audience: "Audience",
    roleClaim: "Role claim",
    roleMap: "Role mapping",
    noRoleMap: "none (everyone is a learner)",
    secret: "Client secret",
    secretSet: "stored, encrypted",
    secretNone: "none (public client)",
    disable: "Disable…",
    enable: "Enable",
    remove: "Remove…",
    disableTitle: (slug) => `Disable ${slug}?`,
    disableBody:
      "Nobody can sign in with it any more, and the tokens it issued are refused within seconds. Accounts and their links stay; enabling it again restores them.",
    disableConfirm: "Disable provider",
    removeTitle: (slug) => `Remove ${slug}?`,
    removeBody:
      "The provider and every link between its users and their accounts are deleted, and its tokens are refused within seconds. The accounts stay; their owners can sign in with a password (after a reset) or a provider added again.",
    removeConfirm: "Remove provider",
    keep: "Keep it",
    addHeading: "Add a provider",
    addIntro: "From the provider's settings for this platform's client.",
    slug: "Short name",
    slugHint: "Lower-case letters, digits and dashes; shown in the sign-in address, e.g. school-sso.",
    issuerHint: "https, exactly as the provider's tokens name it (its discovery document is read from there).",
    clientSecret: "Client secret (optional)",
    clientSecretHint: "Stored encrypted and never shown again. Leave empty for a public client.",
    audienceHint: "The “aud” the provider's tokens carry for this platform.",
    roleClaimHint: "Where the provider's tokens list roles, dotted, e.g. realm_access.roles.",
    roleMapHint: "One per line: the provider's role = learner, instructor or admin. Empty: everyone is a learner.",
    roleMapInvalid: (line) => `“${line}” is not “provider role = learner, instructor or admin”.`,
    add: "Add provider",
    done: {
      added: "The provider is added and enabled.",
      disabled: "The provider is disabled. Its tokens are refused within seconds.",
      enabled: "The provider is enabled again.",
      removed: "The provider is removed with its links.",
    },
  },
  plans: {
    intro: "All-access subscription plans. A price change applies to new subscriptions; running ones keep their price.",
    none: "No plan yet.",
    active: "On offer",
    retired: "Retired",
    intervals: { month: "Monthly", year: "Yearly" },
    perInterval: { month: (price) => `${price} a month`, year: (price) => `${price} a year` },
    edit: "Edit",
    retire: "Retire…",
    offer: "Offer again",
    retireTitle: (name) => `Retire ${name}?`,
    retireBody: "Nobody can subscribe to it any more. Running subscriptions continue at their price until cancelled.",
    retireConfirm: "Retire plan",
    keep: "Keep offering it",
    editHeading: (name) => `Edit ${name}`,
    createHeading: "Offer a new plan",
    createIntro: "The interval cannot change later; make a new plan for another one.",
    name: "Name",
    interval: "Billed",
    intervalHint: "How often the subscription renews.",
    amount: "Price",
    amountHint: "In the currency chosen, e.g. 19.00 (not in cents).",
    amountInvalid: "Enter an amount such as 19.00, with at most the currency's decimals.",
    currency: "Currency",
    activeNow: "Offer it right away",
    create: "Create plan",
    save: "Save plan",
    cancel: "Cancel",
    runningKeepPrice: "Running subscriptions keep the price they started with.",
    done: {
      created: "The plan is created.",
      saved: "The plan is saved.",
      retired: "The plan is retired.",
      offered: "The plan is on offer again.",
    },
  },
  payments: {
    intro: "Every course purchase, newest first. An admin can refund any paid purchase, at any time.",
    filters: "Filter payments",
    status: "Status",
    anyStatus: "Any status",
    buyer: "Buyer's account id",
    buyerHint: "From the person's page.",
    course: "Course id",
    courseHint: "From the studio or the API.",
    apply: "Filter",
    clear: "Clear filters",
    none: "No payment matches.",
    statuses: {
      pending: "Checkout open",
      expired: "Expired",
      processing: "Processing",
      failed: "Failed",
      paid: "Paid",
      disputed: "Disputed",
      refunded: "Refunded",
    },
    ordered: (date) => `Ordered ${date}`,
    paid: (date) => `Paid ${date}`,
    refundedOn: (date) => `Refunded ${date}`,
    receipt: "Receipt",
    buyerLink: "Buyer",
    provider: { stripe: "Stripe", sandbox: "Sandbox (no real money)" },
    refund: "Refund…",
    refundOf: (item) => `Refund… ${item}`,
    refundTitle: (item) => `Refund “${item}”?`,
    refundBody: (amount, provider) =>
      `${amount} goes back to the buyer through ${provider}, and their access to the course ends at once.`,
    refundConfirm: (amount) => `Refund ${amount}`,
    keep: "Keep it",
    refundRefused: "The refund was not made.",
    refunded: "The payment is refunded, and the buyer's access to the course has ended.",
  },
  mismatches: {
    intro:
      "Stripe events that disagreed with the payment they named. A granting event that disagreed was refused; one that only took access away was applied. Check each with Stripe, then resolve it.",
    open: "Open",
    resolved: "Resolved",
    noneOpen: "No open mismatch.",
    noneResolved: "No mismatch has been resolved yet.",
    event: "Stripe event",
    payment: "Purchase",
    subscription: "Subscription",
    decisions: {
      refused: "Refused: not applied",
      applied: "Applied: it only took access away",
    },
    field: "Field",
    expected: "Expected",
    received: "Received",
    nothing: "—",
    resolvedAs: { accepted: "Accepted as genuine", dismissed: "Dismissed" },
    resolvedBy: (date) => `Resolved ${date}`,
    resolve: "Resolve…",
    resolveTitle: "Resolve this mismatch",
    resolveBody: "Say what you found at Stripe. The answer is final and recorded with your name and note.",
    accept: "Accept: the event is genuine",
    acceptHint:
      "A refused event is applied now (a purchase becomes paid and grants the course; a subscription starts).",
    dismiss: "Dismiss: leave the payment as it is",
    dismissHint: "Nothing changes but the record.",
    note: "Note",
    noteHint: "What you checked, for the record.",
    resolveConfirm: "Resolve mismatch",
    keep: "Not now",
    choose: "Choose accept or dismiss.",
    noteMissing: "Write what you checked.",
    done: "The mismatch is resolved.",
  },
  deadLetters: {
    intro:
      "Messages the event queue gave up on after its retries. Read why each died; once the cause is fixed, replay it. Subscribers apply each event once, so a replay never repeats what was applied.",
    none: "No dead letters.",
    notAnEvent: "Not a platform event",
    received: (date) => `Received ${date}`,
    attempts: (count) => (count === 1 ? "1 attempt" : `${count} attempts`),
    replayedOn: (date) => `Replayed ${date}`,
    noReason: "No reason was recorded.",
    inspect: (what) => `Inspect ${what}`,
    inspectShort: "Inspect",
    receivedAt: "Received",
    attemptsLabel: "Delivery attempts",
    replayedAt: "Replayed",
    notReplayed: "not yet",
    back: "Dead letters",
    eventId: "Event id",
    messageId: "Queue message id",
    reason: "Why it died",
    body: "Message body",
    bodyLabel: "The message body as JSON",
    replay: "Replay…",
    replayTitle: "Send this message back to the queue?",
    replayBody:
      "Do this once its cause is fixed. If it fails again, it goes round its retries and comes back as a new dead letter.",
    replayConfirm: "Replay message",
    replayBack: "Not now",
    replayed: "The message is back on the queue. If it fails again, it will appear here as a new dead letter.",
  },
  apiKeys: {
    intro:
      "Keys for integrations (a CRM, an HR system, a script) that call the API. A key acts for the admin who made it, limited to its scopes. It is shown once, when it is made or rotated; the platform keeps only its hash.",
    none: "No API key yet.",
    active: "Active",
    revoked: "Revoked",
    prefix: "Prefix",
    scopes: "Scopes",
    actsFor: "Acts for",
    created: "Created",
    lastUsed: "Last used",
    never: "never",
    rotation: "Rotation",
    notRotated: "never rotated",
    graceUntil: (date) => `rotated; the previous secret still works until ${date}`,
    rotatedOn: (date) => `rotated ${date}; only the current secret works`,
    revokedOn: (date) => `Revoked ${date}: it no longer works.`,
    rotateShort: "Rotate…",
    revokeShort: "Revoke…",
    rotate: (name) => `Rotate… ${name}`,
    revoke: (name) => `Revoke… ${name}`,
    rotateTitle: (name) => `Give “${name}” a new secret?`,
    rotateBody:
      "The new key is shown once, on the next page. The current one keeps working for the grace period you choose, so the integration can be switched over without an outage.",
    grace: "The current secret keeps working for",
    graceHint: "Choose no grace period if the current secret may have leaked.",
    graceOptions: { none: "No time: it stops now", hour: "1 hour", day: "1 day", week: "7 days" },
    rotateConfirm: "Rotate key",
    revokeTitle: (name) => `Revoke “${name}”?`,
    revokeBody:
      "Every request with this key, and with tokens issued for it, is refused from now on, including its previous secret. This cannot be undone: an integration that still needs access needs a new key.",
    revokeConfirm: "Revoke key",
    keep: "Keep it",
    createHeading: "Make a key",
    createIntro: "Give it only the scopes the integration needs.",
    name: "Name",
    nameHint: "What the key is for, e.g. CRM sync. At most 100 characters.",
    nameMissing: "Give the key a name.",
    nameTooLong: "The name can have at most 100 characters.",
    scopesLegend: "Scopes",
    scopesHint: "What the key may do. A route outside its scopes answers 403.",
    scopesMissing: "Choose at least one scope.",
    scopeDescriptions: API_SCOPE_DESCRIPTIONS,
    create: "Make key",
    issuedHeading: {
      created: (name) => `The key “${name}” is made`,
      rotated: (name) => `“${name}” has a new secret`,
    },
    issuedWarning: "Copy the key now. It will not be shown again: the platform keeps only its hash.",
    issuedLabel: "The key",
    copyHint:
      "Select it (one click selects all of it) and copy it with Ctrl+C or ⌘C into the integration's secret store.",
    issuedUse: "The integration sends it as “Authorization: Bearer <key>”.",
    oldSecretUntil: (date) => `The previous secret keeps working until ${date}.`,
    oldSecretEnded: "The previous secret no longer works.",
    done: { revoked: "The key is revoked. It no longer works." },
  },
};

const de: AdminText = {
  title: "Verwaltung",
  navLabel: "Bereiche der Verwaltung",
  sections: {
    overview: "Übersicht",
    users: "Personen",
    providers: "Anmeldedienste",
    plans: "Abos",
    payments: "Zahlungen",
    mismatches: "Abweichungen",
    deadLetters: "Unzustellbare Nachrichten",
    apiKeys: "API-Schlüssel",
  },
  overview: {
    intro:
      "Die Schule führen: Personen und ihre Rollen, wie sie sich anmelden, was verkauft wird, und Ereignisse, die schiefgingen.",
    cards: {
      users: "Personen finden, Rollen ändern, ein Konto sperren oder löschen.",
      providers: "Die externen OpenID-Anbieter, mit denen man sich anmelden kann.",
      plans: "Die angebotenen Abos für alle Kurse und ihre Preise.",
      payments: "Alle Kurskäufe und Erstattungen.",
      mismatches: "Stripe-Ereignisse, die nicht zur genannten Zahlung passten.",
      deadLetters: "Nachrichten, die die Ereignis-Warteschlange aufgab: lesen und nach der Behebung erneut senden.",
      apiKeys: "Schlüssel mit Berechtigungen für Integrationen, die die API aufrufen: anlegen, rotieren, widerrufen.",
    },
  },
  forbidden: {
    title: "Nur für Admins",
    body: "Dieser Bereich ist für die Verwaltung der Schule. Ihr Konto hat die Admin-Rolle nicht, daher wurde hier nichts angezeigt oder geändert.",
    signedInAs: (name) => `Sie sind angemeldet als ${name}.`,
    backHome: "Zur Startseite",
  },
  refused: "Das wurde nicht ausgeführt.",
  unavailable: "Das ist gerade nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.",
  stale:
    "Dieser Eintrag ist nicht mehr auf dieser Seite oder lässt sich so nicht mehr ändern. Die Liste unten ist aktuell.",
  throttled: (seconds) =>
    seconds
      ? `Zu viele Anfragen. Bitte warten Sie ${seconds} Sekunden und versuchen Sie es erneut.`
      : "Zu viele Anfragen. Bitte warten Sie einen Moment.",
  paging: { label: "Seiten", previous: "Vorherige Seite", next: "Nächste Seite" },
  roles: { learner: "Lernende", instructor: "Lehrende", admin: "Admin" },
  users: {
    intro:
      "Personen nach Name oder E-Mail-Adresse finden. Öffnen Sie eine Person, um Rollen zu ändern oder das Konto zu sperren oder zu löschen.",
    search: "Name oder E-Mail",
    searchHint: "Ein Teil eines Namens oder einer Adresse genügt.",
    searchSubmit: "Suchen",
    clear: "Alle zeigen",
    none: "Noch hat niemand ein Konto.",
    noMatch: (query) => `Niemand passt zu „${query}“.`,
    resultsFor: (query) => `Personen zu „${query}“`,
    manage: (name) => `${name} verwalten`,
    manageShort: "Verwalten",
    noName: "(ohne Namen)",
    erased: "Das Konto ist gelöscht: Die persönlichen Daten sind entfernt, und alle Sitzungen sind beendet.",
  },
  person: {
    back: "Personen",
    profilePending: "Das Profil wird gerade angelegt (Sekunden nach der Registrierung).",
    email: "E-Mail",
    roles: "Rollen",
    status: "Status",
    statuses: { active: "Aktiv", disabled: "Gesperrt" },
    sessions: "Angemeldete Sitzungen",
    memberSince: "Konto angelegt",
    language: "Sprache",
    timeZone: "Zeitzone",
    payments: "Zahlungen dieser Person",
    yourself:
      "Das ist Ihr eigenes Konto. Die eigene Admin-Rolle entfernen, sich selbst sperren oder löschen geht hier nicht; löschen können Sie es auf Ihrer Kontoseite.",
    rolesHeading: "Rollen",
    rolesHint:
      "Wirkt innerhalb von Sekunden: Zuvor ausgestellte Zugriffstoken gelten nicht mehr, die nächste Erneuerung trägt die neuen Rollen.",
    rolesSubmit: "Rollen speichern",
    rolesNone: "Wählen Sie mindestens eine Rolle.",
    rolesSaved: "Die Rollen sind gespeichert. Sie wirken innerhalb von Sekunden.",
    accessHeading: "Zugang",
    activeBody: "Das Konto ist aktiv: Die Person kann sich anmelden.",
    disabledBody: "Das Konto ist gesperrt: Die Person kann sich nicht anmelden, alle Sitzungen sind beendet.",
    disable: "Konto sperren …",
    enable: "Konto entsperren",
    disableTitle: (name) => `${name} sperren?`,
    disableBody:
      "Die Person wird überall sofort abgemeldet und kann sich erst wieder anmelden, wenn ein Admin das Konto entsperrt. Kurse, Käufe und Fortschritt bleiben erhalten.",
    disableConfirm: "Konto sperren",
    disableBack: "Aktiv lassen",
    disabled: "Das Konto ist gesperrt, und alle Sitzungen sind beendet.",
    enabled: "Das Konto ist wieder aktiv. Die Person kann sich anmelden.",
    eraseHeading: "Löschen",
    eraseIntro:
      "Die Löschung entfernt die persönlichen Daten dieser Person aus allen Diensten. Sie lässt sich nicht rückgängig machen.",
    erase: "Konto löschen …",
    eraseTitle: (name) => `Das Konto von ${name} endgültig löschen?`,
    eraseRemoved: [
      "Das Konto, die Anmeldung und alle Sitzungen: Die Person wird überall abgemeldet.",
      "Das Profil, Einschreibungen, Fortschritt, Benachrichtigungen und Einstellungen.",
      "Die Verbindung zwischen der Person und ihren Zahlungen (die Belege eines Verkaufs bleiben ohne sie erhalten).",
    ],
    eraseKept: "Von der Person geschriebene Kurse bleiben veröffentlicht. Nichts bringt das Konto zurück.",
    eraseField: "Geben Sie zur Bestätigung ihre E-Mail-Adresse ein",
    eraseHint: (email) => `Die Adresse des Kontos ist ${email}.`,
    eraseMismatch: "Das ist nicht die Adresse dieses Kontos. Es wurde nichts gelöscht.",
    eraseConfirm: "Konto endgültig löschen",
    eraseBack: "Konto behalten",
  },
  providers: {
    intro:
      "Externe OpenID-Connect-Anbieter, mit denen man sich anmelden kann („Anmelden mit …“). Ihren Tokens wird nur vertraut, solange der Anbieter aktiviert ist.",
    none: "Kein Anbieter eingerichtet: Man meldet sich mit E-Mail und Passwort an.",
    enabled: "Aktiviert",
    disabled: "Deaktiviert",
    issuer: "Aussteller",
    clientId: "Client-ID",
    audience: "Zielgruppe (aud)",
    roleClaim: "Rollen-Claim",
    roleMap: "Rollenzuordnung",
    noRoleMap: "keine (alle sind Lernende)",
    secret: "Client-Secret",
    secretSet: "gespeichert, verschlüsselt",
    secretNone: "keines (öffentlicher Client)",
    disable: "Deaktivieren …",
    enable: "Aktivieren",
    remove: "Entfernen …",
    disableTitle: (slug) => `${slug} deaktivieren?`,
    disableBody:
      "Niemand kann sich mehr damit anmelden, und seine Tokens werden innerhalb von Sekunden abgelehnt. Konten und ihre Verknüpfungen bleiben; erneutes Aktivieren stellt sie wieder her.",
    disableConfirm: "Anbieter deaktivieren",
    removeTitle: (slug) => `${slug} entfernen?`,
    removeBody:
      "Der Anbieter und alle Verknüpfungen seiner Nutzer mit ihren Konten werden gelöscht, seine Tokens innerhalb von Sekunden abgelehnt. Die Konten bleiben; ihre Inhaber können sich mit Passwort (nach dem Zurücksetzen) oder über einen neu hinzugefügten Anbieter anmelden.",
    removeConfirm: "Anbieter entfernen",
    keep: "Behalten",
    addHeading: "Anbieter hinzufügen",
    addIntro: "Aus den Einstellungen des Anbieters für den Client dieser Plattform.",
    slug: "Kurzname",
    slugHint: "Kleinbuchstaben, Ziffern und Bindestriche; erscheint in der Anmeldeadresse, z. B. school-sso.",
    issuerHint: "https, genau wie die Tokens des Anbieters ihn nennen (das Discovery-Dokument wird dort gelesen).",
    clientSecret: "Client-Secret (optional)",
    clientSecretHint:
      "Wird verschlüsselt gespeichert und nie wieder angezeigt. Leer lassen für einen öffentlichen Client.",
    audienceHint: "Das „aud“, das die Tokens des Anbieters für diese Plattform tragen.",
    roleClaimHint: "Wo die Tokens des Anbieters Rollen aufführen, mit Punkten, z. B. realm_access.roles.",
    roleMapHint: "Eine pro Zeile: Rolle beim Anbieter = learner, instructor oder admin. Leer: Alle sind Lernende.",
    roleMapInvalid: (line) => `„${line}“ hat nicht die Form „Rolle beim Anbieter = learner, instructor oder admin“.`,
    add: "Anbieter hinzufügen",
    done: {
      added: "Der Anbieter ist hinzugefügt und aktiviert.",
      disabled: "Der Anbieter ist deaktiviert. Seine Tokens werden innerhalb von Sekunden abgelehnt.",
      enabled: "Der Anbieter ist wieder aktiviert.",
      removed: "Der Anbieter ist mit seinen Verknüpfungen entfernt.",
    },
  },
  plans: {
    intro: "Abos für alle Kurse. Eine Preisänderung gilt für neue Abos; laufende behalten ihren Preis.",
    none: "Noch kein Abo.",
    active: "Im Angebot",
    retired: "Eingestellt",
    intervals: { month: "Monatlich", year: "Jährlich" },
    perInterval: { month: (price) => `${price} im Monat`, year: (price) => `${price} im Jahr` },
    edit: "Bearbeiten",
    retire: "Einstellen …",
    offer: "Wieder anbieten",
    retireTitle: (name) => `${name} einstellen?`,
    retireBody:
      "Niemand kann es mehr abschließen. Laufende Abos gehen zu ihrem Preis weiter, bis sie gekündigt werden.",
    retireConfirm: "Abo einstellen",
    keep: "Weiter anbieten",
    editHeading: (name) => `${name} bearbeiten`,
    createHeading: "Neues Abo anbieten",
    createIntro: "Der Abrechnungszeitraum lässt sich später nicht ändern; legen Sie dafür ein neues Abo an.",
    name: "Name",
    interval: "Abrechnung",
    intervalHint: "Wie oft sich das Abo verlängert.",
    amount: "Preis",
    amountHint: "In der gewählten Währung, z. B. 19,00 (nicht in Cent).",
    amountInvalid: "Geben Sie einen Betrag wie 19,00 ein, mit höchstens so vielen Nachkommastellen wie die Währung.",
    currency: "Währung",
    activeNow: "Sofort anbieten",
    create: "Abo anlegen",
    save: "Abo speichern",
    cancel: "Abbrechen",
    runningKeepPrice: "Laufende Abos behalten den Preis, mit dem sie begonnen haben.",
    done: {
      created: "Das Abo ist angelegt.",
      saved: "Das Abo ist gespeichert.",
      retired: "Das Abo ist eingestellt.",
      offered: "Das Abo ist wieder im Angebot.",
    },
  },
  payments: {
    intro: "Alle Kurskäufe, neueste zuerst. Ein Admin kann jeden bezahlten Kauf jederzeit erstatten.",
    filters: "Zahlungen filtern",
    status: "Status",
    anyStatus: "Jeder Status",
    buyer: "Konto-ID der käufenden Person",
    buyerHint: "Von der Seite der Person.",
    course: "Kurs-ID",
    courseHint: "Aus dem Studio oder der API.",
    apply: "Filtern",
    clear: "Filter zurücksetzen",
    none: "Keine Zahlung passt.",
    statuses: {
      pending: "Bezahlung offen",
      expired: "Abgelaufen",
      processing: "In Bearbeitung",
      failed: "Fehlgeschlagen",
      paid: "Bezahlt",
      disputed: "Angefochten",
      refunded: "Erstattet",
    },
    ordered: (date) => `Bestellt am ${date}`,
    paid: (date) => `Bezahlt am ${date}`,
    refundedOn: (date) => `Erstattet am ${date}`,
    receipt: "Beleg",
    buyerLink: "Käufer:in",
    provider: { stripe: "Stripe", sandbox: "Sandbox (kein echtes Geld)" },
    refund: "Erstatten …",
    refundOf: (item) => `Erstatten … ${item}`,
    refundTitle: (item) => `„${item}“ erstatten?`,
    refundBody: (amount, provider) =>
      `${amount} gehen über ${provider} an die käufende Person zurück, und ihr Zugang zum Kurs endet sofort.`,
    refundConfirm: (amount) => `${amount} erstatten`,
    keep: "Nicht erstatten",
    refundRefused: "Die Erstattung wurde nicht ausgeführt.",
    refunded: "Die Zahlung ist erstattet, und der Zugang zum Kurs ist beendet.",
  },
  mismatches: {
    intro:
      "Stripe-Ereignisse, die nicht zur genannten Zahlung passten. Ein gewährendes Ereignis wurde abgelehnt; eines, das nur Zugang entzog, wurde angewendet. Prüfen Sie jedes bei Stripe und schließen Sie es dann ab.",
    open: "Offen",
    resolved: "Erledigt",
    noneOpen: "Keine offene Abweichung.",
    noneResolved: "Noch keine Abweichung erledigt.",
    event: "Stripe-Ereignis",
    payment: "Kauf",
    subscription: "Abo",
    decisions: {
      refused: "Abgelehnt: nicht angewendet",
      applied: "Angewendet: es entzog nur Zugang",
    },
    field: "Feld",
    expected: "Erwartet",
    received: "Erhalten",
    nothing: "—",
    resolvedAs: { accepted: "Als echt angenommen", dismissed: "Verworfen" },
    resolvedBy: (date) => `Erledigt am ${date}`,
    resolve: "Erledigen …",
    resolveTitle: "Diese Abweichung erledigen",
    resolveBody:
      "Halten Sie fest, was Sie bei Stripe gefunden haben. Die Antwort ist endgültig und wird mit Ihrem Namen und Ihrer Notiz gespeichert.",
    accept: "Annehmen: Das Ereignis ist echt",
    acceptHint:
      "Ein abgelehntes Ereignis wird jetzt angewendet (ein Kauf wird bezahlt und schaltet den Kurs frei; ein Abo beginnt).",
    dismiss: "Verwerfen: Die Zahlung bleibt, wie sie ist",
    dismissHint: "Nur der Eintrag ändert sich.",
    note: "Notiz",
    noteHint: "Was Sie geprüft haben, für die Akten.",
    resolveConfirm: "Abweichung erledigen",
    keep: "Nicht jetzt",
    choose: "Wählen Sie Annehmen oder Verwerfen.",
    noteMissing: "Schreiben Sie, was Sie geprüft haben.",
    done: "Die Abweichung ist erledigt.",
  },
  deadLetters: {
    intro:
      "Nachrichten, die die Ereignis-Warteschlange nach allen Wiederholungen aufgab. Lesen Sie, woran jede scheiterte, und senden Sie sie nach der Behebung erneut. Abonnenten wenden jedes Ereignis nur einmal an; erneutes Senden wiederholt nichts Angewendetes.",
    none: "Keine unzustellbaren Nachrichten.",
    notAnEvent: "Kein Ereignis der Plattform",
    received: (date) => `Eingegangen am ${date}`,
    attempts: (count) => (count === 1 ? "1 Versuch" : `${count} Versuche`),
    replayedOn: (date) => `Erneut gesendet am ${date}`,
    noReason: "Kein Grund festgehalten.",
    inspect: (what) => `${what} ansehen`,
    inspectShort: "Ansehen",
    receivedAt: "Eingegangen",
    attemptsLabel: "Zustellversuche",
    replayedAt: "Erneut gesendet",
    notReplayed: "noch nicht",
    back: "Unzustellbare Nachrichten",
    eventId: "Ereignis-ID",
    messageId: "Nachrichten-ID der Warteschlange",
    reason: "Woran sie scheiterte",
    body: "Inhalt der Nachricht",
    bodyLabel: "Der Inhalt der Nachricht als JSON",
    replay: "Erneut senden …",
    replayTitle: "Diese Nachricht zurück in die Warteschlange senden?",
    replayBody:
      "Tun Sie das, wenn die Ursache behoben ist. Scheitert sie erneut, durchläuft sie ihre Wiederholungen und erscheint als neue unzustellbare Nachricht.",
    replayConfirm: "Nachricht erneut senden",
    replayBack: "Nicht jetzt",
    replayed:
      "Die Nachricht ist zurück in der Warteschlange. Scheitert sie erneut, erscheint sie hier als neue unzustellbare Nachricht.",
  },
  apiKeys: {
    intro:
      "Schlüssel für Integrationen (ein CRM, ein HR-System, ein Skript), die die API aufrufen. Ein Schlüssel handelt für den Admin, der ihn angelegt hat, beschränkt auf seine Berechtigungen. Er wird einmal gezeigt, beim Anlegen oder Rotieren; die Plattform speichert nur seinen Hash.",
    none: "Noch kein API-Schlüssel.",
    active: "Aktiv",
    revoked: "Widerrufen",
    prefix: "Präfix",
    scopes: "Berechtigungen",
    actsFor: "Handelt für",
    created: "Angelegt",
    lastUsed: "Zuletzt benutzt",
    never: "nie",
    rotation: "Rotation",
    notRotated: "nie rotiert",
    graceUntil: (date) => `rotiert; das vorige Secret gilt noch bis ${date}`,
    rotatedOn: (date) => `rotiert am ${date}; nur das aktuelle Secret gilt`,
    revokedOn: (date) => `Widerrufen am ${date}: Er funktioniert nicht mehr.`,
    rotateShort: "Rotieren …",
    revokeShort: "Widerrufen …",
    rotate: (name) => `Rotieren … ${name}`,
    revoke: (name) => `Widerrufen … ${name}`,
    rotateTitle: (name) => `„${name}“ ein neues Secret geben?`,
    rotateBody:
      "Der neue Schlüssel wird einmal gezeigt, auf der nächsten Seite. Der aktuelle gilt weiter für die gewählte Übergangszeit, sodass die Integration ohne Ausfall umgestellt werden kann.",
    grace: "Das aktuelle Secret gilt weiter für",
    graceHint: "Wählen Sie keine Übergangszeit, wenn das aktuelle Secret bekannt geworden sein könnte.",
    graceOptions: { none: "Keine: Es endet sofort", hour: "1 Stunde", day: "1 Tag", week: "7 Tage" },
    rotateConfirm: "Schlüssel rotieren",
    revokeTitle: (name) => `„${name}“ widerrufen?`,
    revokeBody:
      "Jede Anfrage mit diesem Schlüssel und mit dafür ausgestellten Tokens wird ab sofort abgelehnt, auch mit seinem vorigen Secret. Das lässt sich nicht rückgängig machen: Eine Integration, die weiter Zugang braucht, braucht einen neuen Schlüssel.",
    revokeConfirm: "Schlüssel widerrufen",
    keep: "Behalten",
    createHeading: "Schlüssel anlegen",
    createIntro: "Geben Sie ihm nur die Berechtigungen, die die Integration braucht.",
    name: "Name",
    nameHint: "Wofür der Schlüssel ist, z. B. CRM-Abgleich. Höchstens 100 Zeichen.",
    nameMissing: "Geben Sie dem Schlüssel einen Namen.",
    nameTooLong: "Der Name darf höchstens 100 Zeichen haben.",
    scopesLegend: "Berechtigungen",
    scopesHint: "Was der Schlüssel darf. Eine Route außerhalb seiner Berechtigungen antwortet mit 403.",
    scopesMissing: "Wählen Sie mindestens eine Berechtigung.",
    scopeDescriptions: {
      "courses:read": "Kurse, ihre Lektionen und Gliederungen lesen, auch Entwürfe",
      "courses:write": "Kurse und ihre Lektionen anlegen und ändern",
      "enrollments:write": "Personen Zugang zu Kursen geben",
      "events:read": "Den Ereignis-Feed der Plattform lesen",
      "webhooks:manage": "Webhook-Endpunkte abonnieren und ihre Zustellungen lesen",
    },
    create: "Schlüssel anlegen",
    issuedHeading: {
      created: (name) => `Der Schlüssel „${name}“ ist angelegt`,
      rotated: (name) => `„${name}“ hat ein neues Secret`,
    },
    issuedWarning:
      "Kopieren Sie den Schlüssel jetzt. Er wird nicht noch einmal gezeigt: Die Plattform speichert nur seinen Hash.",
    issuedLabel: "Der Schlüssel",
    copyHint:
      "Markieren Sie ihn (ein Klick markiert ihn ganz) und kopieren Sie ihn mit Strg+C oder ⌘C in den Secret-Speicher der Integration.",
    issuedUse: "Die Integration sendet ihn als „Authorization: Bearer <Schlüssel>“.",
    oldSecretUntil: (date) => `Das vorige Secret gilt noch bis ${date}.`,
    oldSecretEnded: "Das vorige Secret gilt nicht mehr.",
    done: { revoked: "Der Schlüssel ist widerrufen. Er funktioniert nicht mehr." },
  },
};

export const adminMessages: Messages<AdminText> = { en, de };
