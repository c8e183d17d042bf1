/**
 * Progress on a TTY, silence otherwise. Long work (ingest, hunt, demo generation) reports
 * phases and counts here; with --json or when stderr is not a terminal nothing is drawn, so
 * machine-readable output stays clean.
 */
export interface Progress {
  phase(name: string, total?: number): void;
  tick(n?: number): void;
  done(summary?: string): void;
}

export const silentProgress: Progress = { phase() {}, tick() {}, done() {} };

export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): Progress {
  if (!enabled) return silentProgress;
  let name = '';
  let total: number | undefined;
  let count = 0;
  let lastDraw = 0;
  const started = Date.now();
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const width = 24;
    let line: string;
    if (total && total > 0) {
      const frac = Math.min(1, count / total);
      const filled = Math.round(frac * width);
      line = `${name} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
    } else {
      line = `${name} ${count.toLocaleString('en-US')}`;
    }
    const secs = ((now - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${line} ${secs}s`);
  };
  return {
    phase(n, t) {
      if (name) stream.write('\r\x1b[2K');
      name = n;
      total = t;
      count = 0;
      draw(true);
    },
    tick(n = 1) {
      count += n;
      draw();
    },
    done(summary) {
      stream.write('\r\x1b[2K');
      if (summary) stream.write(summary + '\n');
      name = '';
    },
  };
}
