import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.js';

/** What a git checkout says about itself, read from `.git` files (no `git` process is spawned). */
export interface GitCheckout {
  /** The working tree's root folder. */
  root: string;
  commit?: string;
  branch?: string;
  /** `owner/name` when the `origin` remote is on GitHub. */
  github?: string;
  remoteUrl?: string;
}

/** The checkout containing `path`, if any. */
export function findGitCheckout(path: string): GitCheckout | undefined {
  let dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) return readCheckout(dir, dotGit);
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readCheckout(root: string, dotGit: string): GitCheckout {
  let gitDir = dotGit;
  // A worktree or submodule has a `.git` file pointing at the real git directory.
  if (statSync(dotGit).isFile()) {
    const m = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '');
    if (m) gitDir = isAbsolute(m[1]!.trim()) ? m[1]!.trim() : resolve(root, m[1]!.trim());
  }
  // Shared refs and config live in the common dir for worktrees.
  const commonRef = readText(join(gitDir, 'commondir'))?.trim();
  const commonDir = commonRef ? resolve(gitDir, commonRef) : gitDir;
  const out: GitCheckout = { root };
  const head = readText(join(gitDir, 'HEAD'))?.trim();
  if (head?.startsWith('ref:')) {
    const ref = head.slice(4).trim();
    if (ref.startsWith('refs/heads/')) out.branch = ref.slice('refs/heads/'.length);
    out.commit = resolveRef(gitDir, commonDir, ref);
  } else if (head && /^[0-9a-f]{40}$/.test(head)) {
    out.commit = head;
  }
  const config = readText(join(commonDir, 'config')) ?? '';
  const remote = /\[remote "origin"\][^[]*?\burl\s*=\s*(\S+)/.exec(config);
  if (remote) {
    out.remoteUrl = remote[1]!;
    const gh = githubRepo(remote[1]!);
    if (gh) out.github = gh;
  }
  return out;
}

function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const dir of [gitDir, commonDir]) {
    const loose = readText(join(dir, ...ref.split('/')))?.trim();
    if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  }
  const packed = readText(join(commonDir, 'packed-refs')) ?? '';
  for (const line of packed.split('\n')) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return undefined;
}

/** `owner/name` from an https or ssh GitHub URL, else undefined. */
export function githubRepo(url: string): string | undefined {
  const m =
    /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(
      url.trim(),
    );
  return m ? `${m[1]}/${m[2]}` : undefined;
}

/** Looks like something to download rather than a local path. */
export function isRemoteLocation(arg: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg) || /^git@[^:]+:/.test(arg);
}

/** Where files of one import come from and how to link to them. */
export interface SourceOrigin {
  repository: string;
  /** Folder that `path` values are relative to. */
  root: string;
  commit?: string;
  branch?: string;
  /** `https://github.com/<owner>/<repo>/blob/<ref>`: a file's URL is this plus `/<path>`. */
  blobBase?: string;
}

/**
 * The origin of files under `path`: the enclosing git checkout when there is one, else the folder
 * itself. `override` is a GitHub URL given by the user for a copy that is not a checkout
 * (`https://github.com/owner/repo` or `…/tree/<ref>`).
 */
export function sourceOrigin(path: string, override?: string): SourceOrigin {
  const abs = resolve(path);
  const folder = existsSync(abs) && statSync(abs).isFile() ? dirname(abs) : abs;
  if (override) {
    const m = /^https:\/\/github\.com\/([^/\s]+)\/([^/\s]+?)(?:\.git)?(?:\/tree\/([^\s]+?))?\/?$/.exec(
      override.trim(),
    );
    if (!m) {
      throw new UserError('SF-RULES-ORIGIN', `--origin must be a GitHub repository URL, got '${override}'`, {
        hint: 'e.g. --origin https://github.com/Azure/Azure-Sentinel/tree/master',
      });
    }
    const ref = m[3] ?? 'HEAD';
    return {
      repository: `${m[1]}/${m[2]}`,
      root: folder,
      blobBase: `https://github.com/${m[1]}/${m[2]}/blob/${ref}`,
    };
  }
  const git = findGitCheckout(folder);
  if (!git) return { repository: basename(folder), root: folder };
  const origin: SourceOrigin = { repository: git.github ?? basename(git.root), root: git.root };
  if (git.commit) origin.commit = git.commit;
  if (git.branch) origin.branch = git.branch;
  // A commit makes a permanent link; a branch name is the fallback.
  const ref = git.commit ?? git.branch;
  if (git.github && ref) origin.blobBase = `https://github.com/${git.github}/blob/${ref}`;
  return origin;
}

/** The file's path relative to the origin root, with `/` separators. */
export function pathInOrigin(origin: SourceOrigin, file: string): string {
  return relative(origin.root, resolve(file)).split(sep).join('/');
}

/** The file's URL at its origin, each path segment percent-encoded (`Hunting%20Queries/…`). */
export function urlInOrigin(origin: SourceOrigin, relPath: string): string | undefined {
  if (!origin.blobBase) return undefined;
  return `${origin.blobBase}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}
