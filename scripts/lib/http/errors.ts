// HTTP failures kept raw so that callers can map them to a CliError with context.

/** An HTTP answer outside 2xx, kept raw so that callers can map it to a CliError with context. */
export class HttpStatusError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${method} ${url} returned HTTP ${status}`);
    this.name = "HttpStatusError";
  }
}
