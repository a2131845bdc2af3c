/** A knowledge file could not be used; the message names the file and says what to fix (German, for staff). */
export class IngestError extends Error {
  constructor(public readonly file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = "IngestError";
  }
}
