// PLACEHOLDER: the KQL engine is being written (lead). This file fixes the API other modules
// code against; the implementation replaces the bodies.
import type { Store } from '../store/store.js';
import type { KqlResult } from './types.js';
import type { Diagnostic } from '../kql/diagnostics.js';
import { UserError } from '../util/errors.js';

export interface RunOptions {
  /** Pins `now()` / `ago()` for the whole query (reproducible hunts over old exports). */
  now?: Date;
  /** Name of the text in diagnostics (a file path, or `<query>`). */
  source?: string;
}

/** Compilation failed: carries every diagnostic; its message is the rendered, caret-annotated text. */
export class KqlCompileError extends UserError {
  constructor(
    readonly diagnostics: Diagnostic[],
    rendered: string,
  ) {
    super(diagnostics[0]?.code ?? 'SF900', rendered);
    this.name = 'KqlCompileError';
  }
}

export async function runKql(_store: Store, _kql: string, _opts: RunOptions = {}): Promise<KqlResult> {
  throw new Error('runKql: not implemented yet');
}
