/**
 * A problem caused by the user's input (bad flag, unknown file, bad KQL): reported as a message
 * with a stable code and an optional hint, never as a stack trace. Exit code 2 by default.
 */
export class UserError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly exitCode: number;
  /** The message is already complete (e.g. caret-annotated KQL diagnostics): print it as is. */
  readonly preformatted: boolean;

  constructor(
    code: string,
    message: string,
    opts: { hint?: string; exitCode?: number; preformatted?: boolean } = {},
  ) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
    this.preformatted = opts.preformatted ?? false;
  }
}

/** A failure while doing the work (engine error, I/O error): exit code 1. */
export class RuntimeFailure extends Error {
  readonly code: string;
  readonly hint?: string;

  constructor(code: string, message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'RuntimeFailure';
    this.code = code;
    this.hint = opts.hint;
  }
}

/** Hide credentials in URLs and tokens before a message reaches a terminal or a log. */
export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+):([^/@\s]+)@/gi, '$1$2:***@')
    .replace(/([?&](?:token|password|key|secret)=)[^&\s]+/gi, '$1***');
}
