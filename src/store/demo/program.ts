import type { Destination } from './destinations.js';
import { fileHashesOf, type FileHashes } from './fake-ids.js';
import type { Signature } from './signatures.js';

/**
 * One executable image as Defender describes it: PE version info, path, hashes and signature.
 *
 * Placeholders, resolved per device and event:
 * - `{user}` in paths and command lines: the profile folder of the account running it;
 * - `{os}` as the version of a Windows component: the device's OS file version;
 * - in command lines also `{path}` (the image path), `{n}` (a small number), `{guid}`, `{doc}`
 *   (a document path under the user's profile) and `{port}` (a local port).
 */
export interface Program {
  key: string;
  fileName: string;
  path: string;
  company: string;
  product: string;
  version: string;
  description: string;
  originalFileName: string;
  internalFileName: string;
  fileSize: number;
  signature: Signature | null;
  commandLines: readonly string[];
  destinations: readonly Destination[];
}

export interface ProgramInit {
  path: string;
  company: string;
  product: string;
  version: string;
  description: string;
  signature: Signature | null;
  fileSize: number;
  commandLines?: readonly string[];
  destinations?: readonly Destination[];
  originalFileName?: string;
  internalFileName?: string;
}

export function program(key: string, init: ProgramInit): Program {
  const fileName = init.path.slice(init.path.lastIndexOf('\\') + 1);
  return {
    key,
    fileName,
    path: init.path,
    company: init.company,
    product: init.product,
    version: init.version,
    description: init.description,
    originalFileName: init.originalFileName ?? fileName,
    internalFileName: init.internalFileName ?? fileName.replace(/\.exe$/i, ''),
    fileSize: init.fileSize,
    signature: init.signature,
    commandLines: init.commandLines ?? ['"{path}"'],
    destinations: init.destinations ?? [],
  };
}

/** The version a program reports on a device (Windows components follow the OS build). */
export function versionOn(p: Program, osFileVersion: string): string {
  return p.version === '{os}' ? osFileVersion : p.version;
}

/** Same image, same hashes: keyed by what identifies the file, not by where it runs. */
export function hashesOf(p: Program, osFileVersion: string): FileHashes {
  const key = `${p.key}|${p.fileName}|${versionOn(p, osFileVersion)}|${p.company}|${p.product}`;
  let h = hashMemo.get(key);
  if (!h) {
    h = fileHashesOf(key);
    hashMemo.set(key, h);
  }
  return h;
}

/** Hashing is the costly part of building a row; a few hundred distinct images are memoised. */
const hashMemo = new Map<string, FileHashes>();
