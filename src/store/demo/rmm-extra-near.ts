import { dest } from './destinations.js';
import { program, type Program } from './program.js';
import type { NearMissDef } from './rmm.js';
import type { ExtraTool } from './rmm-extra.js';
import { sectigo } from './signatures.js';
import { SOFTWARE } from './software.js';

/**
 * Near misses for the extra tools' pack rules, one per signal kind at least: rows a substring
 * search (or a rule without its paired field) would report, that the pack's whole-term `has`
 * and its process/domain pairing rightly do not.
 */
function unsigned(key: string, path: string, company: string, product: string): Program {
  return program(key, {
    path,
    company,
    product,
    version: '3.4.1.0',
    description: product,
    signature: null,
    fileSize: 2_097_152 + ((key.length * 7919) % 400_000),
  });
}

function signedBy(key: string, path: string, signer: string, product: string): Program {
  return program(key, {
    path,
    company: signer,
    product,
    version: '2.0.5.0',
    description: product,
    signature: sectigo(signer, '2024-04-02T00:00:00Z', '2027-04-01T23:59:59Z'),
    fileSize: 1_310_720 + ((key.length * 7919) % 300_000),
  });
}

export const EXTRA_NEAR_MISSES: readonly NearMissDef<ExtraTool>[] = [
  {
    kind: 'zoho-assist-other-zoho-product',
    tool: 'Zoho Assist',
    signal: 'process',
    program: unsigned(
      'nmZohoWorkDrive',
      'C:\\Program Files\\Zoho\\WorkDrive\\ZohoWorkDrive.exe',
      'Zoho Corporation Private Limited',
      'Zoho WorkDrive',
    ),
    why: "Zoho's company, but the product is WorkDrive, not 'Zoho Assist'",
  },
  {
    kind: 'atera-signer-longer-term',
    tool: 'Atera',
    signal: 'signature',
    program: signedBy(
      'nmCratera',
      'C:\\Program Files\\Cratera\\CrateraSync.exe',
      'Cratera Networks Ltd',
      'Cratera Sync',
    ),
    why: "the term is 'Cratera', not 'Atera' ('Atera Networks' appears only inside it)",
  },
  {
    kind: 'action1-signer-longer-term',
    tool: 'Action1',
    signal: 'signature',
    program: signedBy(
      'nmAction1Labs',
      'C:\\Program Files\\Action1Labs\\A1Labs.exe',
      'Action1Labs Corporation',
      'A1 Labs Toolkit',
    ),
    why: "the term is 'Action1Labs', not 'Action1' (the rule needs 'Action1 Corporation')",
  },
  {
    kind: 'anydesk-browser-download',
    tool: 'AnyDesk',
    signal: 'network',
    program: SOFTWARE.msedge,
    destination: dest('download.anydesk.com', 1),
    why: "a user's browser opens AnyDesk's domain; the rule needs AnyDesk's own process",
  },
  {
    kind: 'teamviewer-browser-download',
    tool: 'TeamViewer',
    signal: 'network',
    program: SOFTWARE.msedge,
    destination: dest('download.teamviewer.com', 1),
    why: "a user's browser opens TeamViewer's domain; the rule needs TeamViewer's own process",
  },
];
