// @ts-check
import { defineConfig } from "astro/config";
import cloudflare from "@astrojs/cloudflare";
import tailwindcss from "@tailwindcss/vite";
import { vendoredApiReference } from "./integrations/vendored-api-reference.ts";

// Server output: every page is rendered on request inside the Cloudflare worker; public pages say
// how long the edge may keep them (src/middleware/page-caching.ts).
export default defineConfig({
  output: "server",
  adapter: cloudflare({
    // No Cloudflare Images binding: covers are served as uploaded.
    imageService: "passthrough",
  }),
  // The adapter would otherwise enable sessions and demand a SESSION KV binding.
  session: false,
  // The site's own middleware checks the origin of every state-changing request, whatever its body
  // type, and answers with a readable problem (src/middleware/cross-site-forms.ts).
  security: { checkOrigin: false },
  // Stylesheets as files, never inline: the Content-Security-Policy allows no inline style or script.
  build: { inlineStylesheets: "never" },
  devToolbar: { enabled: false },
  // The gateway's /api/docs page loads its renderer from here, our own origin, never from a CDN.
  integrations: [vendoredApiReference()],
  // No prefetch script: pages ship only the JavaScript their interactive parts need.
  prefetch: false,
  vite: {
    plugins: [tailwindcss()],
    // Scripts as files under /_astro/, never inlined into the HTML, for the same reason.
    build: { assetsInlineLimit: 0 },
  },
});
