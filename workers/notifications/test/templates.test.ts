import { describe, expect, it } from "vitest";
import {
  renderNotice,
  TEMPLATE_CATEGORY,
  TEMPLATE_NAMES,
  TemplateError,
  type RenderContext,
  type TemplateData,
  type TemplateName,
} from "../src/templates/index.ts";

const UNSUBSCRIBE = "https://learn.example.test/api/notifications/unsubscribe?token=abc.def&x=1";
const en: RenderContext = { locale: "en", timeZone: "UTC", unsubscribeUrl: null };
const de: RenderContext = { locale: "de-DE", timeZone: "Europe/Berlin", unsubscribeUrl: null };

/** Valid data for every template, each with a URL or value the test can look for. */
const SAMPLES: { readonly [T in TemplateName]: TemplateData[T] } = {
  welcome: { name: "Ada", catalogUrl: "https://learn.example.test/courses" },
  "purchase-confirmed": {
    name: "Ada",
    courseTitle: "Edge Computing 101",
    courseUrl: "https://learn.example.test/courses/edge-101",
  },
  "subscription-started": { name: "Ada", interval: "year", currentPeriodEnd: "2027-03-12T10:00:00Z" },
  "subscription-ending": { name: "Ada", endsAt: "2027-03-12T10:00:00Z" },
  "subscription-ended": { name: "Ada", endedAt: "2027-03-12T10:00:00Z", catalogUrl: "https://learn.example.test/c" },
  "refund-processed": { name: "Ada", amountMinor: 4900, currency: "EUR", courseTitle: "Edge Computing 101" },
  "course-completed": {
    name: "Ada",
    courseTitle: "Edge Computing 101",
    courseUrl: "https://learn.example.test/courses/edge-101",
    certificateUrl: "https://learn.example.test/certificates/0190",
  },
  "verify-email": { name: null, verifyUrl: "https://learn.example.test/verify?t=1", expiresAt: "2027-03-12T10:00:00Z" },
  "password-reset": { name: null, resetUrl: "https://learn.example.test/reset?t=1", expiresAt: "2027-03-12T10:00:00Z" },
  "account-exists": {
    name: "Ada",
    signInUrl: "https://learn.example.test/sign-in",
    resetUrl: "https://learn.example.test/reset",
  },
  "password-changed": { name: "Ada", changedAt: "2027-03-12T10:00:00Z" },
  "email-change-verify": {
    name: "Ada",
    verifyUrl: "https://learn.example.test/verify-email?t=2",
    expiresAt: "2027-03-12T10:00:00Z",
  },
  "email-changed": { name: "Ada", newEmail: "a•••@example.com", changedAt: "2027-03-12T10:00:00Z" },
  "webhook-endpoint-disabled": {
    name: "Ada",
    endpoint: "https://hooks.example.net/edge-learning",
    reason: "HTTP 500 on every attempt for 3 days",
    failedDeliveries: 1234,
    disabledAt: "2027-03-12T10:00:00Z",
    adminUrl: "https://learn.example.test/admin",
  },
};

/** The links a template is given: the `…Url` variables (an endpoint's address is shown, not linked). */
const urlsIn = (data: object) =>
  Object.entries(data)
    .filter(([key, value]) => key.endsWith("Url") && typeof value === "string")
    .map(([, value]) => value as string);

const thrown = (run: () => unknown): TemplateError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error("expected a TemplateError");
};

describe("every template", () => {
  it.each(TEMPLATE_NAMES.flatMap((name) => [[name, "en"] as const, [name, "de"] as const]))(
    "%s renders in %s: subject, both mail parts, in-app and push, every link visible",
    (template, language) => {
      const notice = renderNotice(template, SAMPLES[template], language === "en" ? en : de);
      expect(notice.locale).toBe(language);
      expect(notice.email.subject.length).toBeGreaterThan(3);
      expect(notice.email.html).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${language}">`));
      expect(notice.email.html).not.toContain("<table");
      expect(notice.inApp.title.length).toBeGreaterThan(3);
      expect(notice.push.title.length).toBeGreaterThan(3);
      for (const url of urlsIn(SAMPLES[template])) {
        // A link as a link and written out, in the HTML, and on its own in the text part.
        expect(notice.email.html).toContain(`href="${url}"`);
        expect(notice.email.html).toContain(`>${url}</a>`);
        expect(notice.email.text).toContain(url);
      }
      expect(notice.email.text).not.toMatch(/<[a-z]/i);
    },
  );

  it("writes German for German locales, whatever the region", () => {
    for (const locale of ["de", "de-CH", "de-AT", "DE-de"]) {
      const notice = renderNotice("welcome", SAMPLES.welcome, { ...en, locale });
      expect(notice.locale).toBe("de");
      expect(notice.email.subject).toBe("Willkommen bei Edge Learning");
      expect(notice.email.text.startsWith("Hallo Ada,")).toBe(true);
    }
  });

  it("falls back to English for other and malformed locales", () => {
    for (const locale of ["fr-FR", "en-GB", "", "not a locale!!"]) {
      const notice = renderNotice("welcome", SAMPLES.welcome, { ...en, locale });
      expect(notice.locale).toBe("en");
      expect(notice.email.subject).toBe("Welcome to Edge Learning");
    }
  });

  it("greets without a name when there is none", () => {
    expect(renderNotice("welcome", { ...SAMPLES.welcome, name: null }, en).email.text.startsWith("Hello,\n")).toBe(
      true,
    );
    expect(renderNotice("welcome", { ...SAMPLES.welcome, name: null }, de).email.text.startsWith("Hallo,\n")).toBe(
      true,
    );
  });

  it("files each template under its category", () => {
    expect(TEMPLATE_CATEGORY["purchase-confirmed"]).toBe("purchases");
    expect(TEMPLATE_CATEGORY["refund-processed"]).toBe("purchases");
    expect(TEMPLATE_CATEGORY["subscription-ending"]).toBe("subscriptions");
    expect(TEMPLATE_CATEGORY["course-completed"]).toBe("learning");
    expect(TEMPLATE_CATEGORY.welcome).toBe("onboarding");
    expect(TEMPLATE_CATEGORY["password-reset"]).toBe("security");
    expect(Object.keys(TEMPLATE_CATEGORY).sort()).toEqual([...TEMPLATE_NAMES].sort());
  });
});

describe("escaping", () => {
  const hostile = '<script>alert("x")</script> & <b>';

  it("escapes HTML in a course title in the HTML part, and leaves the text part as written", () => {
    const notice = renderNotice("purchase-confirmed", { ...SAMPLES["purchase-confirmed"], courseTitle: hostile }, en);
    expect(notice.email.html).not.toContain("<script>");
    expect(notice.email.html).not.toContain("<b>");
    expect(notice.email.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;");
    // The title and aria-label carry the subject, which carries the course title: escaped there too.
    expect(notice.email.html).toContain("<title>Your purchase: &lt;script&gt;");
    expect(notice.email.text).toContain(hostile);
    expect(notice.inApp.body).toContain(hostile);
  });

  it("keeps a line break in a course title out of the subject", () => {
    const notice = renderNotice(
      "purchase-confirmed",
      { ...SAMPLES["purchase-confirmed"], courseTitle: "Edge\r\nBcc: victim@example.test" },
      en,
    );
    expect(notice.email.subject).toBe("Your purchase: Edge Bcc: victim@example.test");
  });

  it("escapes a name, and quotes in a URL cannot leave the href attribute", () => {
    const url = 'https://learn.example.test/courses/x?a="onmouseover="alert(1)';
    const notice = renderNotice(
      "purchase-confirmed",
      { ...SAMPLES["purchase-confirmed"], name: hostile, courseUrl: url },
      en,
    );
    expect(notice.email.html).toContain("Hello &lt;script&gt;");
    expect(notice.email.html).not.toMatch(/href="[^"]*"onmouseover/);
  });
});

describe("webhook-endpoint-disabled", () => {
  const sample = SAMPLES["webhook-endpoint-disabled"];

  it("says which endpoint, why, how many deliveries were given up, when, and links the admin console", () => {
    const notice = renderNotice("webhook-endpoint-disabled", sample, en);
    expect(notice.email.subject).toBe("A webhook endpoint was disabled");
    expect(notice.email.text).toContain(
      "Your webhook endpoint https://hooks.example.net/edge-learning kept failing, so we stopped sending events to it on March 12, 2027 at 10:00 AM UTC.",
    );
    expect(notice.email.text).toContain("Why: HTTP 500 on every attempt for 3 days");
    expect(notice.email.text).toContain("1,234 deliveries to it were given up.");
    expect(notice.email.text).toContain("enable it again in the admin console.");
    expect(notice.email.text).toContain("Open the admin console:\nhttps://learn.example.test/admin");
    // Shown, not linked: the admin follows the console's link, not their own endpoint's.
    expect(notice.email.html).not.toContain('href="https://hooks.example.net');
    expect(notice.email.html).toContain('href="https://learn.example.test/admin"');
    expect(notice.inApp).toEqual({
      title: "Webhook endpoint disabled",
      body: "https://hooks.example.net/edge-learning kept failing: 1,234 deliveries given up. Enable it again in the admin console.",
      link: "https://learn.example.test/admin",
    });
    expect(notice.push).toEqual({
      title: "Webhook endpoint disabled",
      body: "https://hooks.example.net/edge-learning",
      url: "https://learn.example.test/admin",
    });
  });

  it("counts one delivery in the singular, and writes German with the locale's grouping and zone", () => {
    expect(renderNotice("webhook-endpoint-disabled", { ...sample, failedDeliveries: 1 }, en).email.text).toContain(
      "1 delivery to it was given up.",
    );
    const german = renderNotice("webhook-endpoint-disabled", sample, de);
    expect(german.email.subject).toBe("Ein Webhook-Endpunkt wurde deaktiviert");
    expect(german.email.text).toContain("seit 12. März 2027 um 11:00 MEZ keine Ereignisse mehr.");
    expect(german.email.text).toContain("Grund: HTTP 500 on every attempt for 3 days");
    expect(german.email.text).toContain("1.234 Zustellungen an ihn wurden aufgegeben.");
    expect(german.email.text).toContain("in der Admin-Konsole wieder aktivieren.");
    expect(renderNotice("webhook-endpoint-disabled", { ...sample, failedDeliveries: 1 }, de).email.text).toContain(
      "1 Zustellung an ihn wurde aufgegeben.",
    );
  });

  it("is security mail: filed under security, and rendered without an unsubscribe line", () => {
    expect(TEMPLATE_CATEGORY["webhook-endpoint-disabled"]).toBe("security");
    const notice = renderNotice("webhook-endpoint-disabled", sample, en);
    expect(notice.email.text).not.toMatch(/unsubscribe/i);
  });

  it("escapes an endpoint address with markup and quotes in the HTML part, and leaves the text part as written", () => {
    const endpoint = `https://hooks.example.net/<script>alert("x")</script>?a='b'&c="d"`;
    const reason = 'HTTP 400: <html><body onload="steal()">';
    const notice = renderNotice("webhook-endpoint-disabled", { ...sample, endpoint, reason }, en);
    expect(notice.email.html).not.toContain("<script>");
    expect(notice.email.html).not.toContain("<html><body");
    expect(notice.email.html).toContain(
      "https://hooks.example.net/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;?a=&#39;b&#39;&amp;c=&quot;d&quot;",
    );
    expect(notice.email.html).toContain("Why: HTTP 400: &lt;html&gt;&lt;body onload=&quot;steal()&quot;&gt;");
    expect(notice.email.text).toContain(`Your webhook endpoint ${endpoint} kept failing`);
    expect(notice.email.text).toContain(`Why: ${reason}`);
    expect(notice.inApp.body.startsWith(endpoint)).toBe(true);
  });

  it("refuses a missing reason, a negative or fractional count, and a console link that is not http(s)", () => {
    const cases: Array<[object, string]> = [
      [{ ...sample, reason: "  " }, "reason"],
      [{ ...sample, failedDeliveries: -1 }, "failedDeliveries"],
      [{ ...sample, failedDeliveries: 2.5 }, "failedDeliveries"],
      [{ ...sample, adminUrl: "/admin" }, "adminUrl"],
      [{ ...sample, disabledAt: "yesterday" }, "disabledAt"],
    ];
    for (const [data, variable] of cases) {
      expect(thrown(() => renderNotice("webhook-endpoint-disabled", data, en)).variables, variable).toEqual([variable]);
    }
  });
});

describe("refusals", () => {
  it("names a missing variable", () => {
    const withoutName: Record<string, unknown> = { ...SAMPLES["course-completed"], certificateUrl: undefined };
    delete withoutName.name;
    const error = thrown(() => renderNotice("course-completed", withoutName, en));
    expect(error.template).toBe("course-completed");
    expect(error.variables).toEqual(expect.arrayContaining(["name", "certificateUrl"]));
    expect(error.message).toContain('Template "course-completed"');
    expect(error.message).toContain("certificateUrl");
  });

  it("refuses a relative or non-http link, a bad instant, a negative or fractional amount, a bad currency", () => {
    const cases: Array<[TemplateName, object, string]> = [
      ["welcome", { ...SAMPLES.welcome, catalogUrl: "/courses" }, "catalogUrl"],
      ["welcome", { ...SAMPLES.welcome, catalogUrl: "javascript:alert(1)" }, "catalogUrl"],
      ["subscription-ending", { ...SAMPLES["subscription-ending"], endsAt: "next tuesday" }, "endsAt"],
      ["refund-processed", { ...SAMPLES["refund-processed"], amountMinor: -1 }, "amountMinor"],
      ["refund-processed", { ...SAMPLES["refund-processed"], amountMinor: 12.5 }, "amountMinor"],
      ["refund-processed", { ...SAMPLES["refund-processed"], currency: "euro" }, "currency"],
      ["subscription-started", { ...SAMPLES["subscription-started"], interval: "week" }, "interval"],
    ];
    for (const [template, data, variable] of cases) {
      expect(thrown(() => renderNotice(template, data, en)).variables, `${template} ${variable}`).toEqual([variable]);
    }
  });

  it("refuses data that is not an object", () => {
    expect(thrown(() => renderNotice("welcome", null, en)).variables).toEqual(["(data)"]);
  });

  it("refuses an unknown template by name, including names inherited from Object", () => {
    for (const template of ["newsletter", "toString", "__proto__"]) {
      const error = thrown(() => renderNotice(template, {}, en));
      expect(error.message).toBe(`Template "${template}": unknown template`);
    }
  });
});

describe("formatting", () => {
  const refund = (amountMinor: number, currency: string, context: RenderContext) =>
    renderNotice("refund-processed", { name: null, amountMinor, currency, courseTitle: null }, context).email.subject;

  it("formats money from minor units with the currency's own number of decimals", () => {
    expect(refund(4900, "EUR", en)).toBe("Your refund of €49.00");
    expect(refund(4900, "EUR", de)).toBe("Deine Erstattung über 49,00\u00a0€");
    expect(refund(4900, "JPY", en)).toBe("Your refund of ¥4,900");
    expect(refund(1250, "KWD", en)).toBe("Your refund of KWD\u00a01.250");
    expect(refund(0, "USD", en)).toBe("Your refund of $0.00");
  });

  it("formats dates in the recipient's locale and time zone", () => {
    // 23:30 UTC on the 31st is already the 1st in Berlin, and still the 31st in New York.
    const data = { name: null, endsAt: "2027-01-31T23:30:00Z" };
    expect(renderNotice("subscription-ending", data, de).inApp.body).toBe("Endet am 1. Februar 2027.");
    expect(renderNotice("subscription-ending", data, { ...en, timeZone: "America/New_York" }).inApp.body).toBe(
      "Ends on January 31, 2027.",
    );
    expect(renderNotice("subscription-ending", data, { ...en, locale: "en-GB" }).inApp.body).toBe(
      "Ends on 31 January 2027.",
    );
  });

  it("writes a deadline with its time and zone", () => {
    const notice = renderNotice("password-reset", SAMPLES["password-reset"], de);
    expect(notice.email.text).toContain("bis 12. März 2027 um 11:00 MEZ");
  });

  it("uses UTC for an unknown time zone rather than failing the mail", () => {
    const notice = renderNotice("password-changed", SAMPLES["password-changed"], { ...en, timeZone: "Mars/Olympus" });
    expect(notice.inApp.body).toBe("On March 12, 2027 at 10:00 AM UTC.");
  });
});

describe("the footer", () => {
  it("carries the unsubscribe link, named by category, in both parts when there is one", () => {
    const notice = renderNotice("purchase-confirmed", SAMPLES["purchase-confirmed"], {
      ...en,
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(notice.email.text).toContain(`Unsubscribe from purchase mail: ${UNSUBSCRIBE}`);
    expect(notice.email.html).toContain(`href="${UNSUBSCRIBE.replace("&", "&amp;")}"`);
    expect(notice.email.html).toContain(">Unsubscribe from purchase mail</a>");
    const german = renderNotice("course-completed", SAMPLES["course-completed"], {
      ...de,
      unsubscribeUrl: UNSUBSCRIBE,
    });
    expect(german.email.text).toContain(`E-Mails zum Lernfortschritt abbestellen: ${UNSUBSCRIBE}`);
  });

  it("has no unsubscribe line without a link", () => {
    const notice = renderNotice("password-changed", SAMPLES["password-changed"], en);
    expect(notice.email.text).not.toMatch(/unsubscribe/i);
    expect(notice.email.html).not.toMatch(/unsubscribe/i);
    expect(notice.email.text).toContain("\n-- \nEdge Learning");
  });
});
