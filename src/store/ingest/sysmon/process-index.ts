import { baseName, clean, guidKey, hexToDecimal, splitHashes, splitUser } from './fields.js';
import type { WindowsEvent } from './windows-event.js';

/** What a Sysmon EID 1 (process creation) tells about a process, keyed by its ProcessGuid. */
export interface ProcessFacts {
  image?: string;
  commandLine?: string;
  creationTime?: string;
  company?: string;
  product?: string;
  description?: string;
  fileVersion?: string;
  originalFileName?: string;
  sha1?: string;
  md5?: string;
  sha256?: string;
  integrityLevel?: string;
  account?: [string, string];
  logonId?: string;
  sessionId?: string;
  parentGuid?: string;
  parentId?: string;
  parentImage?: string;
}

/**
 * Process creations seen in a file, so that other events can fill Defender's InitiatingProcess*
 * columns (hashes, version info, command line, parent) the way MDE does, by joining on
 * ProcessGuid. Built in a first pass over the file; holds one small entry per process creation.
 */
export class ProcessIndex {
  private readonly byGuid = new Map<string, ProcessFacts>();

  addCreation(e: WindowsEvent): void {
    const d = e.data;
    const key = guidKey(d['ProcessGuid']);
    if (!key) return;
    const h = splitHashes(clean(d['Hashes']));
    this.byGuid.set(key, {
      image: clean(d['Image']),
      commandLine: clean(d['CommandLine']),
      creationTime: clean(d['UtcTime']),
      company: clean(d['Company']),
      product: clean(d['Product']),
      description: clean(d['Description']),
      fileVersion: clean(d['FileVersion']),
      originalFileName: clean(d['OriginalFileName']),
      sha1: h['SHA1'],
      md5: h['MD5'],
      sha256: h['SHA256'],
      integrityLevel: clean(d['IntegrityLevel']),
      account: splitUser(clean(d['User'])),
      logonId: hexToDecimal(clean(d['LogonId'])),
      sessionId: clean(d['TerminalSessionId']),
      parentGuid: guidKey(d['ParentProcessGuid']),
      parentId: clean(d['ParentProcessId']),
      parentImage: clean(d['ParentImage']),
    });
  }

  get(guid: unknown): ProcessFacts | undefined {
    const key = guidKey(guid);
    return key ? this.byGuid.get(key) : undefined;
  }

  get size(): number {
    return this.byGuid.size;
  }

  /** Image file name of a process's parent, if the parent's creation is known or named. */
  parentFileName(p: ProcessFacts): string | undefined {
    return baseName(p.parentImage ?? this.get(p.parentGuid)?.image);
  }
}
