// The Workers runtime module the site reads its bindings from (as the Astro Cloudflare adapter
// does). Only what the site uses: its bindings are typed where they are read (lib/api.ts).
declare module "cloudflare:workers" {
  export const env: Readonly<Record<string, unknown>>;
}
