/** The package ships this module without types: a ranked list of common passwords. */
declare module "@zxcvbn-ts/language-common/dist/passwords.json.mjs" {
  const passwords: readonly string[];
  export default passwords;
}
