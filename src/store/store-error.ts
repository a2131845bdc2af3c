/** A storage operation failed; `cause` holds the driver's error. Handled where a reply can still be sent. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
  }
}
