/**
 * One DuckDB connection serves the whole process, and a connection runs one statement at a time:
 * store work is queued here so a console query and a rule run never interleave on it. Pages that
 * only read the cached catalog never wait for this queue, so the app keeps serving while a query
 * runs.
 */
export class DbQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Work queued or running. */
  get depth(): number {
    return this.waiting;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.waiting++;
    const next = this.tail.then(work, work);
    // The queue continues whatever the outcome of this piece of work.
    this.tail = next.then(
      () => undefined,
      () => undefined,
    );
    return next.finally(() => {
      this.waiting--;
    });
  }
}
