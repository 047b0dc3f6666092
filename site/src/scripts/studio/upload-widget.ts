import type { UploaderText } from "../../i18n/messages/studio-upload";
import { sendPart, siteCall, type PartTarget, type SiteAnswer, type SiteUpload } from "./upload-client";
import { fill, formatBytes, formatDuration, formatPercent } from "./upload-format";
import { RateMeter } from "./upload-rate";
import { findSaved, forget, save, savedInSlot, type FileIdentity, type SavedUpload } from "./upload-resume";
import { PartTransfer, TransferError, type TransferFailure } from "./upload-transfer";

/**
 * The uploader of components/studio/upload/MediaUpload.astro: a file chosen is sent in parts
 * (upload-transfer.ts) into a new upload, or into the one it was going into before a reload
 * (upload-resume.ts), then completed and attached to its lesson, as the cover, or as a caption
 * track. Progress, speed, time left and parts in flight are shown as they change; the state is
 * announced politely (and at every quarter), errors at once. `data-state` on the root says where
 * it is (for the page's own scripts and for tests).
 */

/** Dispatched (bubbling) on the uploader's root when its file is uploaded and attached. */
export const UPLOAD_DONE_EVENT = "studio:media-uploaded";

export interface UploadDoneDetail {
  readonly purpose: Purpose;
  readonly lessonId: string | null;
  readonly objectKey: string;
  readonly fileName: string;
  /** Caption uploads: the lesson's tracks after this one was added. */
  readonly captions?: ReadonlyArray<{ readonly language: string; readonly label: string; readonly key: string }>;
}

type Purpose = "video" | "file" | "caption" | "cover";
type State =
  | "idle"
  | "preparing"
  | "uploading"
  | "paused"
  | "retrying"
  | "offline"
  | "completing"
  | "attaching"
  | "done"
  | "cancelled"
  | "failed";

const RENDER_EVERY_MS = 250;
const SENDING: readonly State[] = ["uploading", "retrying", "offline"];
const BUSY: readonly State[] = ["preparing", ...SENDING, "completing", "attaching"];

/**
 * The type the API's allow-list knows, by extension first: browsers report some files
 * differently (Windows: `.zip` as application/x-zip-compressed; `.vtt` often as nothing).
 */
const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  mp3: "audio/mpeg",
  pdf: "application/pdf",
  zip: "application/zip",
  txt: "text/plain",
  md: "text/markdown",
  vtt: "text/vtt",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

function contentTypeOf(file: File): string {
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return TYPES_BY_EXTENSION[extension] ?? (file.type || "application/octet-stream");
}

const identityOf = (file: File): FileIdentity => ({
  name: file.name,
  size: file.size,
  lastModified: file.lastModified,
});

function required<T extends Element>(root: Element, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`The uploader has no ${selector}.`);
  return element;
}

class Uploader {
  private readonly courseId: string;
  private readonly lessonId: string | null;
  private readonly purpose: Purpose;
  private readonly slot: string;
  private readonly t: UploaderText;
  private readonly input: HTMLInputElement;
  private readonly panel: HTMLElement;
  private readonly name: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly stats: HTMLElement;
  private readonly status: HTMLElement;
  private readonly error: HTMLElement;
  private readonly buttons: Record<"pause" | "resume" | "retry" | "cancel", HTMLButtonElement>;
  private readonly confirm: HTMLElement;
  private readonly notice: HTMLElement;

  private state: State = "idle";
  private file: File | undefined;
  private upload: SiteUpload | undefined;
  private transfer: PartTransfer | undefined;
  private readonly etags = new Map<number, string>();
  private readonly meter = new RateMeter();
  private ticker: number | undefined;
  private announcedQuarter = 0;
  private completions = 0;
  private canRetry = false;
  /** What the confirmation panel is asking about. */
  private confirming: "cancel" | SavedUpload | undefined;
  /** An upload of this slot a previous page left unfinished, while it is offered. */
  private interrupted: SavedUpload | undefined;
  private caption: { language: string; label: string } | undefined;

  constructor(private readonly root: HTMLElement) {
    this.courseId = root.dataset.courseId ?? "";
    this.lessonId = root.dataset.lessonId || null;
    this.purpose = (root.dataset.purpose ?? "file") as Purpose;
    this.slot = root.dataset.slot ?? this.purpose;
    this.t = JSON.parse(root.dataset.texts ?? "{}") as UploaderText;
    this.input = required(root, "[data-upload-input]");
    this.panel = required(root, "[data-upload-panel]");
    this.name = required(root, "[data-upload-name]");
    this.bar = required(root, "[data-upload-progress]");
    this.stats = required(root, "[data-upload-stats]");
    this.status = required(root, "[data-upload-status]");
    this.error = required(root, "[data-upload-error]");
    this.confirm = required(root, "[data-upload-confirm]");
    this.notice = required(root, "[data-upload-interrupted]");
    this.buttons = {
      pause: required(root, "[data-upload-pause]"),
      resume: required(root, "[data-upload-resume]"),
      retry: required(root, "[data-upload-retry]"),
      cancel: required(root, "[data-upload-cancel]"),
    };

    this.input.addEventListener("change", () => {
      const file = this.input.files?.[0];
      if (file) void this.begin(file);
    });
    this.buttons.pause.addEventListener("click", () => this.transfer?.pause());
    this.buttons.resume.addEventListener("click", () => void this.send());
    this.buttons.retry.addEventListener("click", () => void this.retry());
    this.buttons.cancel.addEventListener("click", () => this.ask("cancel"));
    required<HTMLButtonElement>(root, "[data-upload-confirm-no]").addEventListener("click", () => this.ask(undefined));
    required<HTMLButtonElement>(root, "[data-upload-confirm-yes]").addEventListener(
      "click",
      () => void this.confirmed(),
    );
    required<HTMLButtonElement>(root, "[data-upload-discard]").addEventListener("click", () => {
      if (this.interrupted) this.ask(this.interrupted);
    });
    window.addEventListener("online", () => {
      if (this.state === "offline") this.setState("uploading");
    });
    void this.showInterrupted();
  }

  /** An upload this slot did not finish (the page was reloaded or closed): offer to continue it. */
  private async showInterrupted(): Promise<void> {
    const saved = savedInSlot(this.courseId, this.slot)[0];
    if (!saved) return;
    const status = await siteCall<SiteUpload>("GET", this.uploadPath(saved.uploadId));
    if (!status.ok) {
      if (status.status === 404) forget(this.courseId, this.slot, saved);
      return;
    }
    if (status.data.status === "aborted") {
      forget(this.courseId, this.slot, saved);
      return;
    }
    if (this.state !== "idle") return;
    const stored = status.data.status === "completed" ? saved.size : this.storedBytes(status.data, saved.etags);
    this.offer(
      saved,
      fill(this.t.interrupted, {
        name: saved.name,
        size: formatBytes(saved.size),
        percent: formatPercent(stored / saved.size),
      }),
    );
  }

  /** Shows (or, without an upload, hides) the notice about an interrupted upload and its Discard button. */
  private offer(saved: SavedUpload | undefined, text = ""): void {
    this.interrupted = saved;
    required(this.notice, "[data-upload-interrupted-text]").textContent = text;
    this.notice.hidden = saved === undefined;
    if (saved) this.root.dataset.interrupted = saved.uploadId;
    else delete this.root.dataset.interrupted;
  }

  private async begin(file: File): Promise<void> {
    if (BUSY.includes(this.state)) return;
    this.clearError();
    if (this.purpose === "caption") {
      const caption = this.captionFields();
      if (!caption) {
        this.showError(this.t.errors.captionFields);
        this.input.value = "";
        return;
      }
      this.caption = caption;
    }
    const interrupted = this.interrupted;
    this.offer(undefined);
    this.file = file;
    this.upload = undefined;
    this.transfer = undefined;
    this.etags.clear();
    this.completions = 0;
    this.announcedQuarter = 0;
    this.panel.hidden = false;
    this.name.textContent = `${file.name} (${formatBytes(file.size)})`;
    this.setState("preparing");
    this.render();

    const upload = await this.resumeOrStart(file);
    if (!upload) return;
    if (interrupted && interrupted.uploadId !== upload.id) {
      // Another file: the interrupted upload stays on offer (to discard, or to continue later).
      this.offer(interrupted, fill(this.t.otherFile, { name: file.name, interrupted: interrupted.name }));
    }
    this.upload = upload;
    if (upload.status === "completed") {
      await this.complete();
      return;
    }
    this.transfer = this.newTransfer(file, upload);
    await this.send();
  }

  /** The upload this file was going into (resumed), or a new one. */
  private async resumeOrStart(file: File): Promise<SiteUpload | undefined> {
    const saved = findSaved(this.courseId, this.slot, identityOf(file));
    if (saved) {
      const status = await siteCall<SiteUpload>("GET", this.uploadPath(saved.uploadId));
      if (status.ok && status.data.status !== "aborted" && status.data.sizeBytes === file.size) {
        for (const [partNumber, etag] of Object.entries(saved.etags)) this.etags.set(Number(partNumber), etag);
        return status.data;
      }
      if (!status.ok && status.status !== 404) {
        // Not known to be gone (an outage, signed out): keep it to resume later.
        this.fail(status);
        return undefined;
      }
      forget(this.courseId, this.slot, saved);
    }
    const started = await siteCall<SiteUpload>("POST", `/studio/uploads/${this.courseId}/start`, {
      fileName: file.name,
      contentType: contentTypeOf(file),
      sizeBytes: file.size,
      purpose: this.purpose === "cover" ? "cover" : "lesson",
    });
    if (!started.ok) {
      this.fail(started);
      return undefined;
    }
    this.remember(file, started.data.id);
    return started.data;
  }

  private remember(file: File, uploadId: string): void {
    save(this.courseId, this.slot, {
      ...identityOf(file),
      uploadId,
      savedAt: Date.now(),
      etags: Object.fromEntries([...this.etags].map(([partNumber, etag]) => [String(partNumber), etag])),
    });
  }

  /** Bytes already stored: the API lists proxied parts; presigned parts are the ones this browser kept ETags for. */
  private storedBytes(upload: SiteUpload, etags: Readonly<Record<string, string>> | Map<number, string>): number {
    if (upload.transfer === "proxy") return upload.uploadedBytes;
    const has = (partNumber: number) =>
      etags instanceof Map ? etags.has(partNumber) : etags[String(partNumber)] !== undefined;
    return upload.parts.filter((part) => has(part.partNumber)).reduce((sum, part) => sum + part.sizeBytes, 0);
  }

  private newTransfer(file: File, upload: SiteUpload): PartTransfer {
    const presigned = upload.transfer === "presigned";
    const toSend = presigned ? upload.parts.filter((part) => !this.etags.has(part.partNumber)) : upload.parts;
    return new PartTransfer(file, upload.partSizeBytes, toSend, this.storedBytes(upload, this.etags), {
      send: sendPart,
      sending: () => {
        if (this.state === "retrying" || this.state === "offline") this.setState("uploading");
      },
      stored: (partNumber, etag) => {
        this.etags.set(partNumber, etag);
        // Proxied parts are listed by the API; presigned ones only this browser knows.
        if (presigned) this.remember(file, upload.id);
      },
      retrying: ({ partNumber, attempt, maxAttempts, delayMs }) =>
        this.setState(
          "retrying",
          fill(this.t.states.retrying, {
            part: partNumber,
            seconds: Math.max(1, Math.round(delayMs / 1000)),
            attempt,
            max: maxAttempts,
          }),
        ),
      offline: () => this.setState("offline"),
      ...(presigned && { refresh: (numbers) => this.freshTargets(upload.id, numbers) }),
    });
  }

  private async freshTargets(uploadId: string, numbers: readonly number[]): Promise<readonly PartTarget[]> {
    const status = await siteCall<SiteUpload>("GET", this.uploadPath(uploadId));
    return status.ok ? status.data.parts.filter((part) => numbers.includes(part.partNumber)) : [];
  }

  /** Sends what is left, then completes. Pausing returns here with the state "paused". */
  private async send(): Promise<void> {
    const transfer = this.transfer;
    if (!transfer || SENDING.includes(this.state)) return;
    this.clearError();
    this.setState("uploading");
    this.meter.reset();
    this.startTicker();
    let outcome: "done" | "paused";
    try {
      outcome = await transfer.run();
    } catch (error) {
      this.stopTicker();
      if (!(error instanceof TransferError)) throw error;
      this.failTransfer(error.failure);
      return;
    }
    this.stopTicker();
    this.render();
    if (outcome === "paused") {
      if (this.state !== "cancelled") this.setState("paused");
      return;
    }
    await this.complete();
  }

  private async complete(): Promise<void> {
    const upload = this.upload;
    const file = this.file;
    if (!upload || !file) return;
    this.setState("completing");
    const attach =
      this.purpose === "cover"
        ? { purpose: "cover" }
        : this.purpose === "caption" || !this.lessonId
          ? {}
          : { lessonId: this.lessonId };
    const parts =
      upload.transfer === "presigned"
        ? [...this.etags].sort(([a], [b]) => a - b).map(([partNumber, etag]) => ({ partNumber, etag }))
        : undefined;
    const completed = await siteCall<SiteUpload>("POST", `${this.uploadPath(upload.id)}/complete`, {
      ...attach,
      ...(parts && { parts }),
    });
    if (!completed.ok) {
      // Parts missing (a part answered but was not kept): send what the status lists, once or twice.
      if (completed.status === 409 && this.completions < 2) {
        this.completions += 1;
        const status = await siteCall<SiteUpload>("GET", this.uploadPath(upload.id));
        if (status.ok && status.data.status === "uploading" && status.data.parts.length > 0) {
          this.upload = status.data;
          this.transfer = this.newTransfer(file, status.data);
          await this.send();
          return;
        }
      }
      this.fail(completed);
      return;
    }
    let captions: UploadDoneDetail["captions"];
    if (this.purpose === "caption" && this.lessonId && this.caption) {
      this.setState("attaching");
      const attached = await siteCall<{ captions: NonNullable<UploadDoneDetail["captions"]> }>(
        "POST",
        `/studio/uploads/${this.courseId}/captions/${this.lessonId}`,
        { key: completed.data.objectKey, ...this.caption },
      );
      if (!attached.ok) {
        this.fail(attached);
        return;
      }
      captions = attached.data.captions;
    }
    forget(this.courseId, this.slot, identityOf(file));
    this.transfer = undefined;
    this.input.value = "";
    this.setState("done");
    this.render();
    const current = this.root.querySelector<HTMLElement>("[data-upload-current]");
    if (current && this.purpose !== "caption") current.textContent = `${this.t.current} ${file.name}`;
    const detail: UploadDoneDetail = {
      purpose: this.purpose,
      lessonId: this.lessonId,
      objectKey: completed.data.objectKey,
      fileName: file.name,
      ...(captions && { captions }),
    };
    this.root.dispatchEvent(new CustomEvent(UPLOAD_DONE_EVENT, { bubbles: true, detail }));
  }

  /**
   * "Try again": carry on with the parts still to send; otherwise begin again, which asks the
   * upload's status (kept until the upload is attached) and completes or attaches what is left.
   */
  private async retry(): Promise<void> {
    if (this.transfer && this.transfer.remainingParts > 0) await this.send();
    else if (this.file) await this.begin(this.file);
  }

  private ask(subject: "cancel" | SavedUpload | undefined): void {
    this.confirming = subject;
    this.confirm.hidden = subject === undefined;
    if (subject) required<HTMLButtonElement>(this.confirm, "[data-upload-confirm-no]").focus();
  }

  private async confirmed(): Promise<void> {
    const subject = this.confirming;
    this.ask(undefined);
    if (subject === "cancel") {
      await this.cancel();
      return;
    }
    if (!subject) return;
    // Discard an interrupted upload: its parts are dropped and it is not offered again.
    await siteCall("DELETE", this.uploadPath(subject.uploadId));
    forget(this.courseId, this.slot, subject);
    this.offer(undefined);
    if (this.state === "idle") void this.showInterrupted();
  }

  private async cancel(): Promise<void> {
    const { upload, file } = this;
    this.setState("cancelled");
    this.transfer?.pause();
    this.transfer = undefined;
    this.upload = undefined;
    if (file) forget(this.courseId, this.slot, identityOf(file));
    if (upload) await siteCall("DELETE", this.uploadPath(upload.id));
    this.panel.hidden = true;
    this.input.value = "";
    this.input.focus();
  }

  private fail(answer: SiteAnswer<unknown>): void {
    if (answer.ok) return;
    const { status } = answer;
    const text =
      status === 401
        ? this.t.errors.signedOut
        : status === 0 || status >= 500
          ? this.t.errors.unavailable
          : (answer.detail ?? this.t.errors.unavailable);
    // What another attempt could change: the network, the service, the session, the rate.
    this.canRetry = status === 0 || status === 401 || status === 409 || status === 429 || status >= 500;
    this.setState("failed");
    this.showError(text);
  }

  private failTransfer(failure: TransferFailure): void {
    if (failure.kind === "file-changed") {
      if (this.file) forget(this.courseId, this.slot, identityOf(this.file));
      this.canRetry = false;
      this.setState("failed");
      this.showError(this.t.errors.fileChanged);
      return;
    }
    if (failure.kind === "exhausted") {
      this.canRetry = true;
      this.setState("failed");
      this.showError(fill(this.t.errors.partFailed, { part: failure.partNumber }));
      return;
    }
    this.fail({ ok: false, status: failure.status, ...(failure.detail !== undefined && { detail: failure.detail }) });
  }

  private captionFields(): { language: string; label: string } | undefined {
    const language = this.root.querySelector<HTMLInputElement>("[data-caption-language]");
    const label = this.root.querySelector<HTMLInputElement>("[data-caption-label]");
    if (!language?.value.trim() || !label?.value.trim()) return undefined;
    if (!language.checkValidity() || !label.checkValidity()) return undefined;
    return { language: language.value.trim(), label: label.value.trim() };
  }

  private uploadPath(uploadId: string): string {
    return `/studio/uploads/${this.courseId}/${uploadId}`;
  }

  private setState(state: State, text?: string): void {
    this.state = state;
    this.root.dataset.state = state;
    const message = text ?? (state === "idle" ? "" : this.t.states[state]);
    if (this.status.textContent !== message) this.status.textContent = message;
    const sending = SENDING.includes(state);
    this.buttons.pause.hidden = !sending;
    this.buttons.resume.hidden = state !== "paused";
    this.buttons.retry.hidden = !(state === "failed" && this.canRetry);
    this.buttons.cancel.hidden = !(sending || state === "paused" || state === "preparing" || state === "failed");
    this.input.disabled = BUSY.includes(state);
    if (state !== "failed") this.canRetry = false;
  }

  private showError(text: string): void {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  private clearError(): void {
    this.error.textContent = "";
    this.error.hidden = true;
  }

  private startTicker(): void {
    this.stopTicker();
    this.ticker = window.setInterval(() => this.render(), RENDER_EVERY_MS);
  }

  private stopTicker(): void {
    if (this.ticker !== undefined) window.clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private render(): void {
    const file = this.file;
    if (!file) return;
    const total = Math.max(1, file.size);
    const sent = this.state === "done" ? file.size : (this.transfer?.sentBytes ?? this.upload?.uploadedBytes ?? 0);
    this.bar.max = total;
    this.bar.value = sent;
    this.root.dataset.sentBytes = String(sent);
    const line = [
      fill(this.t.progress, {
        sent: formatBytes(sent, file.size),
        total: formatBytes(file.size),
        percent: formatPercent(sent / total),
      }),
    ];
    const transfer = this.transfer;
    if (transfer && SENDING.includes(this.state)) {
      this.meter.sample(transfer.wireBytes);
      const rate = this.meter.bytesPerSecond();
      if (rate !== undefined) line.push(fill(this.t.speed, { speed: formatBytes(rate) }));
      const left = this.meter.secondsLeft(file.size - sent);
      if (left !== undefined) line.push(fill(this.t.timeLeft, { time: formatDuration(left) }));
      if (transfer.partsInFlight > 0) line.push(fill(this.t.inFlight, { count: transfer.partsInFlight }));
      this.root.dataset.partsInFlight = String(transfer.partsInFlight);
    }
    this.stats.textContent = line.join(" · ");
    // Screen readers hear the quarters, not every tick.
    const quarter = Math.floor((sent / total) * 4);
    if (this.state === "uploading" && quarter > this.announcedQuarter && quarter < 4) {
      this.announcedQuarter = quarter;
      this.status.textContent = `${this.t.states.uploading} ${formatPercent(quarter / 4)}`;
    }
  }
}

/** Wires every uploader on the page (each once). */
export function startUploaders(): void {
  for (const root of document.querySelectorAll<HTMLElement>("[data-media-upload]:not([data-ready])")) {
    root.dataset.ready = "true";
    new Uploader(root);
  }
}
