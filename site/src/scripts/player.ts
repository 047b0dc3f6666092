/**
 * The lesson video (components/learning/LessonVideo.astro):
 *
 * - starts where the learner stopped (`data-resume-at`, from their progress), unless that was the end;
 * - saves the position while it plays (every 10 s), when it is paused or scrubbed while paused,
 *   and as the learner leaves (a `keepalive` request outlives the page);
 * - completes the lesson when the video ends (the lesson page's script records it);
 * - when a media request fails (a signed link expired: the media route answers 403 to the next
 *   range request, and the `<video>` reports an error), reads fresh links for the lesson from the
 *   site and carries on at the same time, playing if it was.
 */
import { sendProgress } from "./progress-api";

/** How often a playing video's position is saved (docs/progress.md asks about every 10 s). */
const SAVE_EVERY_MS = 10_000;
/** A position this close to the last one saved is not worth a request. */
const MIN_STEP_SECONDS = 1;
/** A resume point this close to the end starts the video over instead. */
const END_MARGIN_SECONDS = 2;
/** Fresh links in a row that did not get the video playing again before the player gives up. */
const MAX_LINK_RETRIES = 2;

/** Dispatched on the document when a lesson's video played to its end. */
export const LESSON_ENDED_EVENT = "learning:lesson-ended";

interface FreshLinks {
  readonly mediaUrl: string;
  readonly captions: ReadonlyArray<{ readonly language: string; readonly label: string; readonly url: string }>;
}

export function startPlayer(): void {
  for (const video of document.querySelectorAll<HTMLVideoElement>("video[data-player]")) attach(video);
}

function attach(video: HTMLVideoElement): void {
  const lessonId = video.dataset.lessonId ?? "";
  const record = video.dataset.record === "true";
  const resumeAt = Number(video.dataset.resumeAt) || 0;
  const knownDuration = Number(video.dataset.duration) || undefined;
  const note = video.closest("figure")?.querySelector<HTMLElement>("[data-player-note]") ?? undefined;

  /** The last time the video was known to be at: where to carry on after fresh links. */
  let lastTime = resumeAt;
  let lastSaved = resumeAt;
  let lastSentAt = Date.now();
  let saving = false;
  let wantsToPlay = false;
  let retries = 0;

  const say = (text: string) => {
    if (note) note.textContent = text;
  };

  function seekTo(time: number): void {
    const duration = Number.isFinite(video.duration) ? video.duration : knownDuration;
    if (time <= 0 || (duration !== undefined && time >= duration - END_MARGIN_SECONDS)) return;
    if (Math.abs(video.currentTime - time) > 0.5) video.currentTime = time;
  }

  /** Where the player is, within what the progress API accepts (at most the lesson's known length). */
  function position(): number {
    const time = knownDuration ? Math.min(video.currentTime, knownDuration) : video.currentTime;
    return Math.round(time * 10) / 10;
  }

  async function save(leaving = false): Promise<void> {
    if (!record || (saving && !leaving) || video.readyState === HTMLMediaElement.HAVE_NOTHING) return;
    const at = position();
    if (Math.abs(at - lastSaved) < MIN_STEP_SECONDS) return;
    saving = true;
    lastSentAt = Date.now();
    const answer = await sendProgress({ lessonId, event: "position", positionSeconds: at }, { keepalive: leaving });
    saving = false;
    if (answer) lastSaved = at;
  }

  if (video.readyState >= HTMLMediaElement.HAVE_METADATA) seekTo(resumeAt);
  else video.addEventListener("loadedmetadata", () => seekTo(resumeAt), { once: true });

  video.addEventListener("timeupdate", () => {
    if (video.readyState >= HTMLMediaElement.HAVE_METADATA) lastTime = video.currentTime;
    if (!video.paused && Date.now() - lastSentAt >= SAVE_EVERY_MS) void save();
  });
  video.addEventListener("play", () => {
    wantsToPlay = true;
  });
  video.addEventListener("playing", () => {
    retries = 0;
    say("");
  });
  video.addEventListener("pause", () => {
    // An error stops playback too; only a pause the learner chose (or the end) means "stop here".
    if (video.error) return;
    wantsToPlay = false;
    if (!video.ended) void save();
  });
  video.addEventListener("seeked", () => {
    if (video.paused) void save();
  });
  video.addEventListener("ended", () => {
    document.dispatchEvent(new CustomEvent(LESSON_ENDED_EVENT, { detail: { lessonId, positionSeconds: position() } }));
  });
  video.addEventListener("error", () => void recover());
  // The first load may have failed before this script ran (module scripts run after parsing).
  if (video.error) void recover();
  // The last position as the learner leaves: closing the tab, following a link, or the phone
  // putting the page away (after which it may never run again).
  addEventListener("pagehide", () => void save(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") void save(true);
  });

  async function recover(): Promise<void> {
    const error = video.error;
    if (!error || error.code === MediaError.MEDIA_ERR_ABORTED) return;
    if (retries >= MAX_LINK_RETRIES) {
      say(note?.dataset.failedText ?? "");
      return;
    }
    retries += 1;
    const at = lastTime;
    const resume = wantsToPlay;
    say(note?.dataset.expiredText ?? "");
    const fresh = await freshLinks(video.dataset.freshLinks);
    if (!fresh) {
      say(note?.dataset.failedText ?? "");
      return;
    }
    for (const track of video.querySelectorAll("track")) {
      const match = fresh.captions.find((c) => c.language === track.srclang && c.label === track.label);
      if (match) track.src = match.url;
    }
    video.addEventListener(
      "loadedmetadata",
      () => {
        if (at > 0) video.currentTime = at;
        if (resume) video.play().catch(() => undefined);
      },
      { once: true },
    );
    // Setting `src`, even to the same address, runs the element's load algorithm again.
    video.src = fresh.mediaUrl;
  }
}

async function freshLinks(address: string | undefined): Promise<FreshLinks | undefined> {
  if (!address) return undefined;
  try {
    const response = await fetch(address, { headers: { accept: "application/json" }, credentials: "same-origin" });
    return response.ok ? ((await response.json()) as FreshLinks) : undefined;
  } catch {
    return undefined;
  }
}
