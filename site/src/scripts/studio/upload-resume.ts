/**
 * Which upload each file was going into, kept in `localStorage` so that an upload interrupted by
 * a reload, a crash or a closed laptop continues when the author picks the same file again: the
 * upload's status then says which parts are stored. A file is known by its name, size and
 * modification time, in the slot it was meant for (a lesson's media, its captions, the cover).
 *
 * Nothing secret is kept: ids, the file's name and size, and for presigned uploads the ETags
 * R2 answered (checksums of the parts, needed to complete). Entries older than a week are
 * dropped: the API gives up on uploads idle for a day, and R2 on any after a week.
 */
const PREFIX = "studio-upload:v1:";
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

export interface FileIdentity {
  readonly name: string;
  readonly size: number;
  readonly lastModified: number;
}

export interface SavedUpload extends FileIdentity {
  readonly uploadId: string;
  readonly savedAt: number;
  /** Presigned uploads: part number → ETag of each part R2 stored. */
  readonly etags: Readonly<Record<string, string>>;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage refused (a privacy setting): uploads still work, they just do not survive a reload.
    return undefined;
  }
}

const slotPrefix = (courseId: string, slot: string) => `${PREFIX}${courseId}:${slot}:`;
const keyOf = (courseId: string, slot: string, file: FileIdentity) =>
  `${slotPrefix(courseId, slot)}${file.size}:${file.lastModified}:${encodeURIComponent(file.name)}`;

function parse(text: string | null): SavedUpload | undefined {
  if (!text) return undefined;
  try {
    const saved = JSON.parse(text) as SavedUpload;
    return typeof saved.uploadId === "string" && typeof saved.savedAt === "number" ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function findSaved(courseId: string, slot: string, file: FileIdentity): SavedUpload | undefined {
  return parse(storage()?.getItem(keyOf(courseId, slot, file)) ?? null);
}

export function save(courseId: string, slot: string, saved: SavedUpload): void {
  try {
    storage()?.setItem(keyOf(courseId, slot, saved), JSON.stringify(saved));
  } catch {
    // Full or refused: the upload goes on, only without resuming after a reload.
  }
}

export function forget(courseId: string, slot: string, file: FileIdentity): void {
  storage()?.removeItem(keyOf(courseId, slot, file));
}

/** The slot's interrupted uploads, newest first; stale entries are dropped on the way. */
export function savedInSlot(courseId: string, slot: string, now = Date.now()): SavedUpload[] {
  const store = storage();
  if (!store) return [];
  const prefix = slotPrefix(courseId, slot);
  const found: SavedUpload[] = [];
  for (let index = store.length - 1; index >= 0; index -= 1) {
    const key = store.key(index);
    if (!key?.startsWith(prefix)) continue;
    const saved = parse(store.getItem(key));
    if (!saved || now - saved.savedAt > KEEP_MS) store.removeItem(key);
    else found.push(saved);
  }
  return found.sort((a, b) => b.savedAt - a.savedAt);
}
