// @ts-check
import { defineConfig } from "astro/config";
import cloudflare from "@astrojs/cloudflare";
import tailwindcss from "@tailwindcss/vite";

// Server output: every page is rendered on request inside the Cloudflare worker,
// so catalog pages can later get edge cache headers.
export default defineConfig({
  output: "server",
  adapter: cloudflare({
    // No Cloudflare Images binding: the site has no optimized images yet.
    imageService: "passthrough",
  }),
  // The adapter would otherwise enable sessions and demand a SESSION KV binding.
  session: false,
  // No dev toolbar, no prefetch script: zero client JS on these pages.
  devToolbar: { enabled: false },
  vite: {
    plugins: [tailwindcss()],
  },
});
