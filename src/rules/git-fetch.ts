import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../util/errors.js';

const run = promisify(execFile);

export interface FetchedCheckout {
  /** The local checkout: import it like any folder (provenance comes from its `.git`). */
  dir: string;
  cleanup(): void;
}

/** `https://host/owner/repo(.git)` or `git@host:owner/repo.git` → `repo`, the checkout's folder name. */
export function repositoryName(url: string): string {
  const last =
    url
      .replace(/[#?].*$/, '')
      .replace(/\/+$/, '')
      .split(/[/:]/)
      .pop() ?? '';
  const name = last.replace(/\.git$/, '');
  return /^[\w.-]+$/.test(name) && name !== '.' && name !== '..' ? name : 'repository';
}

/**
 * A shallow clone of a rule repository the user named on the command line. The URL goes to git as
 * one argument after `--`, never through a shell; git's own message explains a failure.
 */
export async function fetchRepository(url: string): Promise<FetchedCheckout> {
  const parent = mkdtempSync(join(tmpdir(), 'socfeed-rules-'));
  const dir = join(parent, repositoryName(url));
  const cleanup = (): void => rmSync(parent, { recursive: true, force: true });
  try {
    await run('git', ['clone', '--depth', '1', '--quiet', '--', url, dir], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 1 << 20,
    });
  } catch (e) {
    cleanup();
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new UserError('SF-RULES-GIT', 'cannot import from a URL: git is not installed', {
        hint: 'install git, or clone the repository yourself and import the local folder',
      });
    }
    const reason = (err.stderr ?? '').trim().split('\n').pop() || err.message;
    throw new UserError('SF-RULES-GIT', `cannot clone ${url}: ${reason}`, {
      hint: 'check the URL and your network, or clone it yourself and import the local folder',
    });
  }
  return { dir, cleanup };
}
