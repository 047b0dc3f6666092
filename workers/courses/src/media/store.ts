/**
 * The slice of an R2 bucket that course media needs, described structurally so the domain code
 * runs (and is tested) outside workerd too: the R2 binding satisfies it as it is, and a test can
 * hand in a stand-in without Cloudflare's types.
 */
export interface StoredPart {
  readonly partNumber: number;
  readonly etag: string;
}

export interface StoredObjectInfo {
  readonly key: string;
  readonly size: number;
  /** The ETag as HTTP carries it (quoted). */
  readonly httpEtag: string;
  readonly httpMetadata?: { readonly contentType?: string | undefined } | undefined;
}

export interface StoredObjectBody extends StoredObjectInfo {
  readonly body: ReadableStream<Uint8Array>;
}

export interface MultipartUpload {
  uploadPart(partNumber: number, body: ReadableStream<Uint8Array>): Promise<StoredPart>;
  complete(parts: StoredPart[]): Promise<StoredObjectInfo>;
  abort(): Promise<void>;
}

export interface MediaStore {
  createMultipartUpload(
    key: string,
    options: { httpMetadata: { contentType: string } },
  ): Promise<{ readonly uploadId: string }>;
  resumeMultipartUpload(key: string, uploadId: string): MultipartUpload;
  delete(key: string): Promise<void>;
  head(key: string): Promise<StoredObjectInfo | null>;
  get(
    key: string,
    options?: { range?: { offset: number; length: number } },
  ): Promise<StoredObjectBody | StoredObjectInfo | null>;
}
