// `npm run signing-key`: prints a new Ed25519 private JWK for the auth worker's JWT_PRIVATE_KEYS.
//   New deployment:  npm run signing-key --silent | npx wrangler secret put JWT_PRIVATE_KEYS -c workers/auth/wrangler.toml
//   Rotation: prepend the new key to the current array, deploy, wait 15 minutes (the access-token
//   lifetime), then remove the old key.
import { generateSigningKey } from "../src/signing-keys.ts";

const kid = process.argv[2] ?? `key-${new Date().toISOString().slice(0, 10)}`;
console.log(JSON.stringify([await generateSigningKey(kid)]));
