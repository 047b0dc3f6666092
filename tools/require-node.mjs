/* global process, console */
// Plain JavaScript on purpose: it must run on the old Node it refuses. The toolchain runs the
// repository's TypeScript directly (type stripping, Node ≥ 22.19), so an older Node would otherwise
// die with ERR_UNKNOWN_FILE_EXTENSION instead of saying what is needed.
const NEEDED = [22, 19];
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  console.error(`needs Node ≥ ${NEEDED.join(".")}, found ${process.versions.node}; see README.md`);
  process.exit(1);
}
