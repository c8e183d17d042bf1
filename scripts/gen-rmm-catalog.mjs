/* global process, console -- Node scripts; the lint config declares no globals for scripts/ */
// Generates data/rmm/catalog.json (+ README.md and the sources' licences) — socfeed's RMM
// indicator catalog — from the public RMM sources in ../shared/rmm-sources:
//   • LOLRMM (magicsword-io/LOLRMM, Apache-2.0): one YAML file per tool;
//   • RemoteManagementMonitoringTools (jischell-msft, MIT): per-tool Sentinel hunting queries, whose
//     KQL string literals are the indicators, per-tool summaries, and an all-tools network list.
// Run by a developer when the sources change; the output is committed and the product never reads
// ../shared at run time.
//
//   node scripts/gen-rmm-catalog.mjs [path/to/rmm-sources]
//
// Sections: inputs (sources, merge table) · helpers · LOLRMM reader · jischell readers ·
// KQL literal reader · generic-indicator rules · merge · figures · main.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseDocument as parseYamlDocument } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RMM_SOURCES = process.argv[2] ?? join(root, '..', 'shared', 'rmm-sources');
const OUT_DIR = join(root, 'data', 'rmm');

// ───────────────────────────── inputs ─────────────────────────────

const SOURCES = [
  {
    id: 'lolrmm',
    name: 'LOLRMM',
    repository: 'https://github.com/magicsword-io/LOLRMM',
    commit: '3c75cf091b10bf7e8ecd576055c44d172b35ff21',
    licence: 'Apache-2.0',
    licenceFile: 'LICENSE-LOLRMM',
    what: 'yaml/*.yaml: one file per tool (PE metadata, code-signing certificates, domains, installation paths)',
  },
  {
    id: 'jischell-query',
    name: 'RemoteManagementMonitoringTools: hunting queries',
    repository: 'https://github.com/jischell-msft/RemoteManagementMonitoringTools',
    commit: '7bb251e68abd13989445195e9d812cb189277715',
    licence: 'MIT',
    licenceFile: 'LICENSE-RMM-MONITORING-TOOLS',
    what: 'RMM/<Tool>/rmm_<Tool>_{createproc,filesig,netconn}.yaml: string literals compared with PE, signer, path and URL columns',
  },
  {
    id: 'jischell-summary',
    name: 'RemoteManagementMonitoringTools: tool summaries',
    repository: 'https://github.com/jischell-msft/RemoteManagementMonitoringTools',
    commit: '7bb251e68abd13989445195e9d812cb189277715',
    licence: 'MIT',
    licenceFile: 'LICENSE-RMM-MONITORING-TOOLS',
    what: 'RMM/<Tool>/RMM_Summary_<Tool>.md: website, process, network and file-signature indicator lists',
  },
  {
    id: 'jischell-network',
    name: 'RemoteManagementMonitoringTools: all-tools network list',
    repository: 'https://github.com/jischell-msft/RemoteManagementMonitoringTools',
    commit: '7bb251e68abd13989445195e9d812cb189277715',
    licence: 'MIT',
    licenceFile: 'LICENSE-RMM-MONITORING-TOOLS',
    what: 'Network Indicators/RMM_SummaryNetworkURI.csv: URI → tool',
  },
];

/**
 * Tools whose LOLRMM entries and jischell folder cannot be paired by name alone: duplicate or
 * renamed LOLRMM entries, product renames (NinjaRMM → NinjaOne, ScreenConnect → ConnectWise
 * Control), vendor vs product names (TechInline → FixMe.it). Every other LOLRMM file becomes its
 * own tool, grouped with other files of the same name, and every other jischell folder must match
 * a LOLRMM tool's name or file name (ignoring case and punctuation) — the script stops otherwise, so
 * a new upstream tool gets a deliberate decision here.
 */
// One tool per line reads as a table, so the formatter leaves it alone.
// prettier-ignore
const MERGES = [
  { id: 'screenconnect', name: 'ScreenConnect', lolrmm: ['screenconnect', 'connectwise_control', 'connectwise'], jischell: 'ConnectWise', aliases: ['ConnectWise Control', 'ConnectWise ScreenConnect', 'ConnectWise'] },
  { id: 'connectwise-automate', name: 'ConnectWise Automate', lolrmm: ['connectwise_automate_(labtech)', 'labtech_rmm_(now_connectwise_automate)', 'labteachconnectwiseautomate'], aliases: ['LabTech'] },
  { id: 'itsupport247', name: 'ITSupport247 (ConnectWise)', lolrmm: ['itsupport247_(connectwise)', 'itsupport247connectwise'], aliases: ['Continuum Managed', 'connectwise / Continuum Managed'] },
  { id: 'datto-rmm', name: 'Datto RMM', lolrmm: ['centrastage_(now_datto)'], jischell: 'DattoRMM', aliases: ['CentraStage', 'Datto'] },
  { id: 'ninjaone', name: 'NinjaOne', lolrmm: ['ninjarmm', 'ninjaone_(formerly_ninjarmm)'], jischell: 'NinjaRMM', aliases: ['NinjaRMM', 'Ninja RMM'] },
  { id: 'n-able-n-sight', name: 'N-able N-sight RMM', lolrmm: ['n-able_advanced_monitoring_agent', 'n-ableadvancedmonitoringagent'], jischell: 'NAble', aliases: ['N-able Advanced Monitoring Agent', 'N-able', 'LogicNow'] },
  { id: 'isl-online', name: 'ISL Online', lolrmm: ['isl_online', 'islonline', 'isl_light'], jischell: 'ISLOnline', aliases: ['ISL Light'] },
  { id: 'level', name: 'Level', lolrmm: ['level', 'level.io', 'levelio'], jischell: 'Level', aliases: ['Level.io'] },
  { id: 'litemanager', name: 'LiteManager', lolrmm: ['lite_manager', 'litemanager'], jischell: 'LiteManager' },
  { id: 'remote-utilities', name: 'Remote Utilities', lolrmm: ['remote_utilities', 'remoteutilities'], jischell: 'RemoteUtilities' },
  { id: 'simplehelp', name: 'SimpleHelp', lolrmm: ['simplehelp', 'updatesimplehelp'], jischell: 'SimpleHelp', aliases: ['Simple-Help'] },
  { id: 'instant-housecall', name: 'Instant Housecall', lolrmm: ['instant_housecall', 'instanthousecall'] },
  { id: 'netop-remote-control', name: 'Netop Remote Control', lolrmm: ['netop_remote_control_(aka_impero_connect)', 'netop_remote_control_(impero_connect)'], aliases: ['Impero Connect'] },
  { id: 'mionet', name: 'MioNet (WD Anywhere Access)', lolrmm: ['mionet_(also_known_as_wd_anywhere_access)', 'mionet_(wd_anywhere_access)'] },
  { id: 'ultravnc', name: 'UltraVNC', lolrmm: ['ultra_vnc', 'ultravnc'] },
  { id: 'splashtop', name: 'Splashtop', lolrmm: ['splashtop', 'splashtop_remote', 'splashtopbeta'], jischell: 'Splashtop', aliases: ['Splashtop Remote'] },
  { id: 'beyondtrust', name: 'BeyondTrust Remote Support', lolrmm: ['beyondtrust', 'beyondtrust_(bomgar)'], jischell: 'BeyondTrust', aliases: ['BeyondTrust', 'Bomgar'] },
  { id: 'remote-desktop-manager', name: 'Devolutions Remote Desktop Manager', lolrmm: ['devolutions_remote_desktop_manager', 'remote_desktop_manager_(devolutions)'] },
  { id: 'ehorus', name: 'eHorus', lolrmm: ['ehorus', 'pandora_rc_(ehorus)'], jischell: 'EHorus', aliases: ['Pandora RC'] },
  { id: 'gotoassist', name: 'GoToAssist', lolrmm: ['gotoassist', 'gotoassist_(goto_resolve)'], aliases: ['GoTo Resolve'] },
  { id: 'netviewer', name: 'Netviewer', lolrmm: ['netviewer', 'netviewer_(gotomeet)'] },
  { id: 'soti-pocket-controller', name: 'SOTI Pocket Controller', lolrmm: ['pocket_controller', 'pocket_controller_(soti_xsight)'], aliases: ['SOTI XSight'] },
  { id: 'quick-assist', name: 'Microsoft Quick Assist', lolrmm: ['microsoft_quick_assist', 'quickassist'], aliases: ['Quick Assist'] },
  { id: 'dev-tunnels', name: 'Visual Studio Dev Tunnels', lolrmm: ['dev_tunnels_(aka_visual_studio_dev_tunnel)', 'visual_studio_dev_tunnel'] },
  { id: 'itarian', name: 'Itarian', lolrmm: ['itarian', 'comodo_rmm'], jischell: 'Itarian', aliases: ['Comodo RMM', 'Comodo One'] },
  { id: 'realvnc', name: 'RealVNC', lolrmm: ['realvnc', 'vnc_connect'], jischell: 'RealVNC', aliases: ['VNC Connect'] },
  { id: 'fixme-it', name: 'FixMe.it', lolrmm: ['fixme'], jischell: 'TechInline', aliases: ['TechInline', 'SetMe'] },
  { id: 'aweray', name: 'AweRay (AweSun)', lolrmm: ['aweray'], jischell: 'AweSun', aliases: ['AweSun', 'AweRay'] },
  { id: 'chrome-remote-desktop', name: 'Chrome Remote Desktop', lolrmm: ['chrome_remote_desktop'], jischell: 'ChromeRDP' },
  { id: 'kaseya-vsa', name: 'Kaseya VSA', lolrmm: ['kaseya'], jischell: 'Kaseya', aliases: ['Kaseya', 'Unigma'] },
  { id: 'syncro', name: 'Syncro', lolrmm: ['syncro'], jischell: 'SyncroMSP', aliases: ['SyncroMSP', 'SynchroMSP'] },
  { id: 'msp360', name: 'MSP360', lolrmm: ['msp360'], jischell: 'MSP360_CloudBerry', aliases: ['CloudBerry'] },
  { id: 'servereye', name: 'ServerEye', lolrmm: ['servereye'], jischell: 'ServerEye', aliases: ['Server-Eye'] },
  { id: 'parsec', name: 'Parsec', lolrmm: ['parsec'], jischell: 'parsec.app' },
  { id: 'ammyy-admin', name: 'Ammyy Admin', lolrmm: ['ammyyadmin'], jischell: 'Ammyy', aliases: ['Ammyy'] },
  { id: 'barracuda-rmm', name: 'Barracuda RMM', lolrmm: ['barracuda'], jischell: 'BarracudaRMM', aliases: ['Barracuda'] },
  { id: 'bluetrait', name: 'Bluetrait', lolrmm: ['bluetrait'], jischell: 'BlueTrait.io' },
  { id: 'crosstec-remote-control', name: 'CrossTec Remote Control', lolrmm: ['crosstec_remote_control'], jischell: 'CrossTec' },
  { id: 'netsupport-manager', name: 'NetSupport Manager', lolrmm: ['netsupport_manager'], jischell: 'NetSupport', aliases: ['NetSupport'] },
  { id: 'pdq-connect', name: 'PDQ Connect', lolrmm: ['pdq_connect'], jischell: 'PDQ', aliases: ['PDQ'] },
  { id: 'electric-ai', name: 'Electric AI', lolrmm: ['electric_ai_(kaseya)'], jischell: 'ElectricAI' },
  { id: 'mstsc', name: 'Microsoft Remote Desktop Connection (mstsc)', lolrmm: ['mstsc'] },
  { id: 'quest-kace-agent', name: 'Quest KACE Agent', lolrmm: ['quest_kace_agent_(formerly_dell_kace)'], aliases: ['Dell KACE'] },
  { id: 'nvda', name: 'NVDA (NonVisual Desktop Access)', lolrmm: ['nvda'] },
  { id: 'tsplus', name: 'TSplus', jischell: 'TSPlus' },
  { id: 'xmreality', name: 'XMReality', jischell: 'XMReality' },
];

// ───────────────────────────── helpers ─────────────────────────────

function norm(name) {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function slug(name) {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Trims, collapses inner whitespace and drops surrounding quotes. */
function clean(value) {
  if (value === null || value === undefined) return '';
  return String(value)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^['"]|['"],?$/g, '')
    .trim();
}

const asArray = (v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

// ───────────────────────────── LOLRMM ─────────────────────────────

function readLolrmm() {
  const dir = join(RMM_SOURCES, 'lolrmm', 'yaml');
  const entries = [];
  for (const file of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(file)) continue;
    const y = parseYaml(readFileSync(join(dir, file), 'utf8'));
    const stem = file.replace(/\.ya?ml$/, '');
    const d = y.Details ?? {};
    const found = []; // [kind, value, extra?]
    for (const pe of asArray(d.PEMetadata)) {
      if (!pe || typeof pe !== 'object') continue;
      found.push(['fileNames', pe.Filename], ['originalFileNames', pe.OriginalFileName]);
      found.push(
        ['fileDescriptions', pe.Description],
        ['productNames', pe.Product],
        ['companyNames', pe.Company],
      );
    }
    const cs = y.CodeSigning ?? {};
    for (const c of asArray(cs.certificates)) {
      if (!c) continue;
      found.push(['signers', c.signer_name], ['companyNames', c.src_file_company]);
    }
    for (const s of asArray(cs.signer_names)) found.push(['signers', s]);
    for (const s of asArray(cs.company_names)) found.push(['companyNames', s]);
    for (const s of asArray(cs.search_names))
      if (/\.(exe|msi|dll)$/i.test(clean(s))) found.push(['fileNames', s]);
    const paths = [
      ...asArray(d.InstallationPaths),
      ...asArray(y.InstallationPaths),
      ...asArray(y.Artifacts?.InstallationPaths),
    ];
    for (const p of paths) {
      const v = clean(p);
      // A bare name (no folder) in InstallationPaths is the binary's file name.
      if (v && !/[\\/]/.test(v)) {
        found.push(['fileNames', v]);
      } else {
        found.push(['installPaths', v]);
        // `*\\SmarTTY.exe`, `C:\\…\\Xpra-Launcher.exe`: the last segment names the binary.
        const last = v.split(/[\\/]/).pop();
        if (/\.exe$/i.test(last) && last.replace(/\*/g, '').length > 4) found.push(['fileNames', last]);
      }
    }
    for (const n of asArray(y.Artifacts?.Network))
      for (const dom of asArray(n?.Domains)) found.push(['domains', dom]);
    entries.push({
      stem,
      file: `yaml/${file}`,
      name: clean(y.Name),
      category: clean(y.Category),
      websites: asArray(d.Website)
        .map(clean)
        .filter((w) => /^https?:\/\//i.test(w)),
      capabilities: asArray(d.Capabilities).map(clean).filter(Boolean),
      supportedOs: asArray(d.SupportedOS).map(clean).filter(Boolean),
      found: found.map(([k, v]) => [k, clean(v)]).filter(([, v]) => v !== ''),
      hasCodeSigning: y.CodeSigning !== undefined,
    });
  }
  return entries;
}

// ───────────────────────── jischell-msft queries and summaries ─────────────────────────

const COLUMN_KINDS = {
  ProcessVersionInfoCompanyName: 'companyNames',
  InitiatingProcessVersionInfoCompanyName: 'companyNames',
  ProcessVersionInfoProductName: 'productNames',
  InitiatingProcessVersionInfoProductName: 'productNames',
  ProcessVersionInfoOriginalFileName: 'originalFileNames',
  InitiatingProcessVersionInfoOriginalFileName: 'originalFileNames',
  ProcessVersionInfoFileDescription: 'fileDescriptions',
  InitiatingProcessVersionInfoFileDescription: 'fileDescriptions',
  FileName: 'fileNames',
  InitiatingProcessFileName: 'fileNames',
  FolderPath: 'installPaths',
  InitiatingProcessFolderPath: 'installPaths',
  Signer: 'signers',
  RemoteUrl: 'domains',
};

function readJischellQueries(folder) {
  const dir = join(RMM_SOURCES, 'rmm-monitoring-tools', 'RMM', folder);
  const found = [];
  const files = [];
  const queries = [];
  for (const file of readdirSync(dir).sort()) {
    if (/^rmm_.*\.yaml$/.test(file)) {
      // Upstream files carry an indentation quirk in requiredDataConnectors that the YAML parser
      // reports; the `query` key is unaffected, and it is all this script reads.
      const doc = parseYamlDocument(readFileSync(join(dir, file), 'utf8'));
      const query = doc.get('query');
      if (typeof query !== 'string') throw new Error(`${file}: no query`);
      queries.push(query);
    } else if (/^RMM_AHQ_.*\.md$/.test(file)) {
      // The same queries as Markdown code blocks; for 17 tools this is the only form published.
      const md = readFileSync(join(dir, file), 'utf8').replace(/\r/g, '');
      for (const m of md.matchAll(/```[^\n]*\n([\s\S]*?)```/g)) queries.push(m[1]);
    } else {
      continue;
    }
    files.push(`RMM/${folder}/${file}`);
  }
  for (const query of queries) {
    for (const cmp of stringComparisons(query)) {
      const kind = COLUMN_KINDS[cmp.column];
      if (!kind) continue;
      for (const v of cmp.values) {
        if (kind === 'fileNames' && /^startswith/.test(cmp.op)) found.push([kind, `${v}*`]);
        else if (kind === 'fileNames' && /^has|contains/.test(cmp.op)) found.push([kind, v, 'term']);
        else found.push([kind, v]);
      }
    }
  }
  return { found: found.map(([k, v, m]) => [k, clean(v), m]).filter(([, v]) => v !== ''), files };
}

/** Values listed after a label: quoted items when quoted, else split on ` or ` (and commas if asked). */
function listValues(text, splitCommas) {
  const quoted = [...text.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  if (quoted.length > 0) return quoted;
  return text
    .split(splitCommas ? /\s+or\s+|,\s*/i : /\s+or\s+/i)
    .map(clean)
    .filter(Boolean);
}

const SKIP_SIGNATURE_NOTE = /not signed|too broad|^\[?n\/a\]?$/i;

function readJischellSummary(folder) {
  const file = join(RMM_SOURCES, 'rmm-monitoring-tools', 'RMM', folder, `RMM_Summary_${folder}.md`);
  const found = [];
  const websites = [];
  if (!existsSync(file)) return { found, websites, file: undefined };
  let section = '';
  for (const line of readFileSync(file, 'utf8').replace(/\r/g, '').split('\n')) {
    const h = /^###\s*(.+)$/.exec(line);
    if (h) {
      section = h[1].toLowerCase();
      continue;
    }
    const b = /^(\s*)-\s*(.*?)\s*$/.exec(line);
    if (!b || b[2] === '') continue;
    const nested = b[1].length >= 2;
    const text = b[2];
    if (section.startsWith('company')) {
      for (const u of text.match(/https?:\/\/\S+/g) ?? []) websites.push(u);
    } else if (section.startsWith('network')) {
      // Nested bullets are domains grouped under a note (the NAble summary does this).
      if (/^[*a-z0-9][a-z0-9.*-]*\.[a-z]{2,}$/i.test(text)) found.push(['domains', text]);
    } else if (section.startsWith('file signature') && !nested) {
      if (SKIP_SIGNATURE_NOTE.test(text)) continue;
      const rest = text.replace(/^(signer\s*(has)?\s*:?)\s*/i, '');
      for (const v of listValues(rest, false)) found.push(['signers', v]);
    } else if (section.startsWith('process') && !nested) {
      let m;
      if ((m = /^(?:pe\s+)?co(?:m)?pany(?:\s+name)?\s*(?:\(has\))?\s*(?:has)?\s*:?\s*(.+)$/i.exec(text))) {
        for (const v of listValues(m[1], true)) found.push(['companyNames', v]);
      } else if ((m = /^(?:pe\s+)?product(?:\s+name)?\s*(?:\(has\))?\s*(?:has)?\s*:?\s*(.+)$/i.exec(text))) {
        for (const v of listValues(m[1], true)) found.push(['productNames', v]);
      } else if ((m = /^(.+?)\s*\((company|product)\)$/i.exec(text))) {
        found.push([m[2].toLowerCase() === 'company' ? 'companyNames' : 'productNames', m[1]]);
      } else if (/^[\w.-]+\.exe$/i.test(text)) {
        found.push(['fileNames', text]);
      }
      // Anything else (e.g. a regular expression for Ammyy's file names) is prose, not an indicator.
    }
  }
  return {
    found: found.map(([k, v]) => [k, clean(v)]).filter(([, v]) => v !== ''),
    websites,
    file: `RMM/${folder}/RMM_Summary_${folder}.md`,
  };
}

function readNetworkList() {
  const text = readFileSync(
    join(RMM_SOURCES, 'rmm-monitoring-tools', 'Network Indicators', 'RMM_SummaryNetworkURI.csv'),
    'utf8',
  );
  const rows = [];
  for (const line of text.replace(/\r/g, '').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const i = line.indexOf(',');
    rows.push({ uri: clean(line.slice(0, i)), tool: clean(line.slice(i + 1)) });
  }
  return rows;
}

// ───────────────────────────── KQL literal reader ─────────────────────────────

// A small, purpose-built reader for the indicator strings in the jischell-msft RMM queries.
// It is not a KQL parser: it tokenizes just enough (strings in all four quoting forms, comments,
// identifiers, punctuation) to find `Column <string operator> 'literal'` and
// `Column <operator> ('a', 'b', …)` and return the literals per column.

/**
 * @returns {{kind: 'string'|'ident'|'punct', text: string}[]}
 */
function tokenize(kql) {
  const out = [];
  let i = 0;
  const n = kql.length;
  while (i < n) {
    const c = kql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && kql[i + 1] === '/') {
      while (i < n && kql[i] !== '\n') i++;
    } else if ((c === '@' || c === 'h' || c === 'H') && (kql[i + 1] === "'" || kql[i + 1] === '"')) {
      // @'…' is verbatim (a doubled quote is a quote); h'…' is an obfuscated normal string.
      const verbatim = c === '@';
      const q = kql[i + 1];
      i += 2;
      let s = '';
      while (i < n) {
        if (kql[i] === q) {
          if (verbatim && kql[i + 1] === q) {
            s += q;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (!verbatim && kql[i] === '\\' && i + 1 < n) {
          s += unescape(kql[i + 1]);
          i += 2;
          continue;
        }
        s += kql[i++];
      }
      out.push({ kind: 'string', text: s });
    } else if (c === "'" || c === '"') {
      i++;
      let s = '';
      while (i < n && kql[i] !== c) {
        if (kql[i] === '\\' && i + 1 < n) {
          s += unescape(kql[i + 1]);
          i += 2;
          continue;
        }
        s += kql[i++];
      }
      i++;
      out.push({ kind: 'string', text: s });
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(kql[j])) j++;
      out.push({ kind: 'ident', text: kql.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

function unescape(ch) {
  return { n: '\n', t: '\t', r: '\r', 0: '\0' }[ch] ?? ch;
}

/** Operators that compare a column with string literals (negated forms are skipped: `!has`). */
const STRING_OPERATORS = new Set([
  'has',
  'has_any',
  'has_all',
  'has_cs',
  'hasprefix',
  'hassuffix',
  'contains',
  'contains_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
  'in',
  'in~',
  '=~',
  '==',
]);

/**
 * Every `Column op literal(s)` comparison in a query.
 * @returns {{column: string, op: string, values: string[]}[]}
 */
function stringComparisons(kql) {
  const t = tokenize(kql);
  const found = [];
  for (let i = 0; i < t.length - 1; i++) {
    if (t[i].kind !== 'ident') continue;
    if (i > 0 && t[i - 1].kind === 'punct' && t[i - 1].text === '!') continue;
    let j = i + 1;
    let op;
    // `=~`, `==` and `in~` arrive as several tokens.
    if (
      t[j].kind === 'punct' &&
      t[j + 1]?.kind === 'punct' &&
      ['=~', '=='].includes(t[j].text + t[j + 1].text)
    ) {
      op = t[j].text + t[j + 1].text;
      j += 2;
    } else if (t[j].kind === 'ident' && STRING_OPERATORS.has(t[j].text)) {
      op = t[j].text;
      j++;
      if (op === 'in' && t[j]?.text === '~') {
        op = 'in~';
        j++;
      }
      // Tolerate an upstream typo seen in the Level query: `FolderPath has_all has_any (…)`.
      while (t[j]?.kind === 'ident' && STRING_OPERATORS.has(t[j].text)) j++;
    } else {
      continue;
    }
    const values = [];
    if (t[j]?.kind === 'string') {
      values.push(t[j].text);
    } else if (t[j]?.text === '(') {
      j++;
      while (j < t.length && t[j].text !== ')') {
        if (t[j].kind === 'string') values.push(t[j].text);
        else if (t[j].text !== ',') break; // a sub-query or expression, not a literal list
        j++;
      }
    }
    if (values.length > 0) found.push({ column: t[i].text, op, values });
  }
  return found;
}

// ───────────────────────────── generic-indicator rules ─────────────────────────────

// Which RMM indicators are too generic to hunt with, and why. Used by gen-rmm-catalog.mjs.
// Nothing is dropped for being generic: the catalog keeps the value with `excluded: {reason}`
// so a reviewer can see what was left out of the rule pack and argue with the reason.

/** Single words that name a role, not a product: matching them finds every vendor's software. */
const GENERIC_WORDS = new Set(
  `remote support client agent server service services viewer desktop control connect connection access assist
  assistant help helper admin administrator manager management monitor monitoring update updater updates setup
  install installer launch launcher host app application tool tools system software endpoint rmm vnc rdp screen
  share sharing session cloud online web net network windows win auto core main ui tray notification uninstall
  uninstaller runtime module plugin component user msp pc computer device mobile portal console utility utilities
  chat file files transfer data backup sync inventory deploy deployment scanner scan probe pro free lite plus
  standard express basic home business enterprise edition version splash window collector auditor reporter proxy
  daemon shell ssh terminal command upload download close closeapp recycler shim worker runner watchdog`
    .split(/\s+/)
    .filter(Boolean),
);

/** Multi-word values made only of role words (compared without spaces or punctuation). */
const GENERIC_PHRASES = new Set(
  [
    'remote desktop',
    'remote control',
    'remote support',
    'remote access',
    'remote assistance',
    'endpoint manager',
    'endpoint agent',
    'splash window',
    'screen capture',
    'screan capture',
    'auto update',
    'install core',
    'update shim',
    'notification helper',
    'remote desktop connection',
    'setup',
    'agent installer',
    'remote management',
    'remote monitoring',
    'installshield setup',
    'online backup',
  ].map((p) => p.replace(/[^a-z0-9]/g, '')),
);

/**
 * Publisher names that sign or own so many unrelated products that a hit says nothing about
 * remote-access tools. Keys are lower-case "core" names (legal suffixes removed).
 */
const PLATFORM_VENDORS = [
  'microsoft',
  'google',
  'apple',
  'adobe',
  'amazon',
  'oracle',
  'intel',
  'cisco',
  'vmware',
  'mozilla',
  'github',
  // Antivirus, chat and portal vendors whose signed software is on many hosts for other reasons.
  'symantec',
  'avg technologies',
  'eset',
  'comodo',
  'sophos',
  'solarwinds',
  'tencent',
  'alibaba',
  'taobao',
  'yandex',
];

function isPlatformVendor(core) {
  return PLATFORM_VENDORS.some((v) => core === v || core.startsWith(v + ' ') || core.startsWith(v + ','));
}

/**
 * Publishers of components that tools bundle (archive self-extractors, SSH helpers, VPN drivers,
 * game-engine runtimes), listed by LOLRMM because a downloaded file carried their signature.
 * The map value lists tool ids for which the publisher is genuinely the tool's own.
 */
const BUNDLED_PUBLISHERS = new Map([
  ['win.rar', []],
  ['alexander roshal', []],
  ['simon tatham', ['putty', 'putty-tray', 'kitty', 'extraputty', 'superputty', 'solar-putty']],
  ['martin prikryl', ['winscp']],
  ['tuxera', []],
  ['power software', []],
  ['oculus vr', []],
  ['unity technologies', ['parsec']],
  ['unity technologies sf', ['parsec']],
  ['unity technologies aps', ['parsec']],
  ['wiresock foundation', []],
  ['the anti-cloud', []],
  ['openvpn', []],
]);

/** Text found in signer fields that is a certificate authority or placeholder, not a publisher. */
const NOT_PUBLISHERS = new Set(['.net', 'certification authority', 'globalsigningdig', 'codesigningmico']);

/**
 * Binaries present on hosts without any RMM tool (OS built-ins, language runtimes, shared helpers).
 * Some are the tool itself for one catalogue entry: those ids are listed as exceptions.
 */
const COMMON_BINARY_OWNERS = new Map([
  ['putty.exe', ['putty']],
  ['plink.exe', ['putty']],
]);
const COMMON_BINARIES = new Set(
  `mstsc.exe dwm.exe svchost.exe explorer.exe cmd.exe powershell.exe pwsh.exe rundll32.exe regsvr32.exe msiexec.exe
  conhost.exe wscript.exe cscript.exe services.exe lsass.exe winlogon.exe taskhostw.exe launchd xpcproxy mdmclient
  sshd ssh ssh.exe python.exe pythonw.exe java.exe javaw.exe node.exe osqueryi.exe plink.exe putty.exe wintun.dll
  7z.exe 7zip.exe curl.exe wget smartctl.exe winpty-agent.exe winpty-agent64.exe libeay32.dll ssleay32.dll libegl.dll
  libglesv2.dll vk_swiftshader.dll vulkan-1.dll oxyplot.dll oxyplot.windowsforms.dll guna.ui2.dll`
    .split(/\s+/)
    .filter(Boolean),
);

/** Shared hosting, CDN and cloud domains: only a specific subdomain of these identifies a tool. */
const SHARED_INFRA_DOMAINS = [
  'amazonaws.com',
  's3.amazonaws.com',
  'cloudfront.net',
  'azureedge.net',
  'azurewebsites.net',
  'azurefd.net',
  'windows.net',
  'core.windows.net',
  'blob.core.windows.net',
  'servicebus.windows.net',
  'cloudapp.net',
  'googleapis.com',
  'googleusercontent.com',
  'appspot.com',
  'firebaseapp.com',
  'web.app',
  'pages.dev',
  'workers.dev',
  'cloudflarestorage.com',
  'r2.cloudflarestorage.com',
  'cloudflare.net',
  'cdn.cloudflare.net',
  'github.com',
  'githubusercontent.com',
  'raw.githubusercontent.com',
  'github.io',
  'ghcr.io',
  'herokuapp.com',
  'akamaized.net',
  'akamaiedge.net',
  'edgekey.net',
  'fastly.net',
  'pubnubapi.com',
  'digitaloceanspaces.com',
];

/** Multi-product vendors' apex domains: a hit is as likely mail or search as a remote session. */
const PLATFORM_DOMAINS = new Set([
  'google.com',
  'microsoft.com',
  'apple.com',
  'amazon.com',
  'adobe.com',
  'zoho.com',
  'zoho.eu',
  'zoho.in',
  'zoho.com.au',
  'zoho.com.cn',
  'sophos.com',
  'ivanti.com',
  'apache.org',
  'oray.com',
]);

/** Download portals: a page about the tool, not traffic of the tool. */
const DOWNLOAD_PORTALS = ['softonic.com', 'software.informer.com'];

const LEGAL_SUFFIX =
  /[\s,]+(inc|llc|ltd|limited|corp|corporation|co|company|gmbh|s\.?r\.?l|s\.?a\.?r\.?l|sa|ag|bv|pty|pte|plc|private|holdings|group)\.?$/i;

/** `Adobe Systems Incorporated` → `adobe systems`; used to compare publisher names. */
function coreName(value) {
  let s = value
    .toLowerCase()
    .replace(/\\+$/, '')
    .replace(/incorporated$/, '')
    .trim();
  for (let i = 0; i < 4; i++) {
    const next = s
      .replace(LEGAL_SUFFIX, '')
      .replace(/[.,\s]+$/, '')
      .trim();
    if (next === s) break;
    s = next;
  }
  return s;
}

// Unicode-aware: publisher names in Chinese or Turkish are as specific as English ones.
function words(value) {
  return value
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

function compact(value) {
  return value.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Reason a company/product/signer/description term is too generic, or undefined. */
function genericTermReason(value) {
  const w = words(value);
  const c = compact(value);
  if (c.length === 0) return 'no letters or digits';
  if (w.length === 1 && GENERIC_WORDS.has(w[0])) return `generic word '${w[0]}': matches unrelated software`;
  if (GENERIC_PHRASES.has(c)) return 'generic phrase: matches unrelated software';
  if ([...c].length <= 3) return 'too short to be specific (3 characters or fewer)';
  return undefined;
}

/** Reason a publisher (signer or PE company) should not be hunted for this tool, or undefined. */
function publisherReason(value, toolId) {
  const core = coreName(value);
  if (NOT_PUBLISHERS.has(core)) return 'certificate-authority or placeholder text, not a publisher';
  if (isPlatformVendor(core)) return 'multi-product platform vendor: matches unrelated software';
  const bundled = BUNDLED_PUBLISHERS.get(core);
  if (bundled && !bundled.includes(toolId))
    return 'publisher of a bundled third-party component, not of the tool';
  return genericTermReason(value);
}

function fileDescriptionReason(value) {
  // LOLRMM sometimes stores an analyst's note in the Description field rather than the PE
  // FileDescription string; a note will never equal the binary's version resource.
  if (value.length > 64 || /\b(verified|observed|reported|signed by)\b/i.test(value)) {
    return 'free-text note, not a PE file description';
  }
  return genericTermReason(value);
}

/** Reason a file name (exact, or a glob with one `*`) is not usable, or undefined. */
function fileNameReason(value, toolId) {
  const lower = value.toLowerCase();
  if (COMMON_BINARIES.has(lower) && !(COMMON_BINARY_OWNERS.get(lower) ?? []).includes(toolId))
    return 'built-in or widely bundled binary: present on unrelated hosts';
  if (/^[0-9a-f]{32,}/.test(lower)) return 'sample file name (a hash), not stable across installs';
  // LOLRMM's InstallationPaths sometimes hold a sentence ("can't find this one") instead of a name.
  if (/\s/.test(value) && !/\.[a-z0-9]{2,4}$/i.test(value)) return 'free-text note, not a file name';
  if (/[?[\]]/.test(value)) return 'regular-expression-like pattern, not a file name';
  if (/<[^>]*>/.test(value)) return 'placeholder, not a file name';
  const stars = (value.match(/\*/g) ?? []).length;
  if (stars > 0) {
    const prefix = value.slice(0, value.indexOf('*'));
    if (stars > 1 || prefix.replace(/[^a-z0-9]/gi, '').length < 4) {
      return 'wildcard pattern without a specific literal prefix';
    }
    return genericTermReason(prefix);
  }
  const base = lower.replace(/\.(exe|dll|msi|bin|app|dmg|pkg|sh|py)$/, '');
  if ([...compact(base)].length <= 2) return 'too short to be specific (2 characters or fewer)';
  const w = words(base);
  if (w.length === 1 && GENERIC_WORDS.has(w[0])) return `generic file name '${value}'`;
  if (GENERIC_PHRASES.has(compact(base))) return `generic file name '${value}'`;
  return undefined;
}

/** Folder names that every host has: a path made only of these (and wildcards) says nothing. */
const GENERIC_PATH_SEGMENTS = new Set([
  'c:',
  'program files',
  'program files (x86)',
  'program files*',
  'programdata',
  'users',
  'appdata',
  'local',
  'roaming',
  'locallow',
  'windows',
  'system32',
  'syswow64',
  'temp',
  'tmp',
  'applications',
  'usr',
  'bin',
  'sbin',
  'opt',
  'etc',
  'var',
  'lib',
  'library',
  'application support',
  '~',
  'home',
  'downloads',
  'desktop',
  'documents',
  'public',
  'default',
  'all users',
  'launchagents',
  'launchdaemons',
  'preferences',
  'logs',
  'log',
]);

function installPathReason(value) {
  const segments = value
    .replace(/\//g, '\\')
    .split('\\')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && !/^%[^%]+%$/.test(s) && !/^\$\w+$/.test(s));
  const specific = segments.filter(
    (s) => !GENERIC_PATH_SEGMENTS.has(s) && s.replace(/[*?]/g, '') !== '' && !/^<[^>]*>$/.test(s),
  );
  if (specific.length === 0) return 'wildcard-only or generic path';
  return undefined;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const PATTERN_CHARS = /[*?[\]{}()|\\^$+]/;

/**
 * Normalizes one domain entry and says whether it is usable. Wildcard and regex labels are cut
 * off (`relay-[a-f0-9]{8}.net.anydesk.com:443` → `net.anydesk.com`) because `RemoteUrl has`
 * matches whole terms, so the literal suffix finds the same hosts.
 * Returns {value, excluded?} or undefined when the entry is empty.
 */
function normalizeDomain(raw) {
  let s = raw.trim().toLowerCase();
  if (s === '') return undefined;
  if (s === 'user_managed' || /^<.*>$/.test(s) || /\s/.test(s)) {
    return { value: raw.trim(), excluded: 'placeholder for an operator-chosen host, not a domain' };
  }
  s = s
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/:\d+$/, '');
  if (IPV4.test(s)) return { value: s, excluded: 'IP address, not a domain (hunt it in RemoteIP)' };
  const labels = s.split('.');
  let cut = -1;
  labels.forEach((l, i) => {
    if (PATTERN_CHARS.test(l) || l === '' || l.startsWith('-')) cut = i;
  });
  const value = labels.slice(cut + 1).join('.');
  if (value === '' || !value.includes('.')) {
    return {
      value: value || s,
      excluded: cut >= 0 ? 'wildcard pattern without a usable literal domain' : 'not a domain name (no dot)',
    };
  }
  if (value === 'localhost' || /\.(local|lan|internal|localdomain)$/.test(value) || value === 'local') {
    return { value, excluded: 'local network name' };
  }
  const parts = value.split('.');
  if (parts.length === 2 && ['com', 'co', 'net', 'org', 'gov', 'edu', 'ac'].includes(parts[0])) {
    return { value, excluded: 'public suffix only' };
  }
  if (SHARED_INFRA_DOMAINS.includes(value))
    return { value, excluded: 'shared cloud/CDN domain: matches unrelated traffic' };
  if (PLATFORM_DOMAINS.has(value))
    return { value, excluded: 'multi-product vendor domain: matches unrelated services' };
  if (DOWNLOAD_PORTALS.some((p) => value === p || value.endsWith('.' + p))) {
    return { value, excluded: "software download portal: a page about the tool, not the tool's traffic" };
  }
  return { value };
}

// ───────────────────────────── merge ─────────────────────────────

const KINDS = [
  'companyNames',
  'productNames',
  'originalFileNames',
  'fileNames',
  'fileDescriptions',
  'signers',
  'domains',
  'installPaths',
];

function groupTools(lol, folders) {
  const byStem = new Map(lol.map((e) => [e.stem, e]));
  const assigned = new Set();
  const groups = [];
  for (const m of MERGES) {
    const entries = (m.lolrmm ?? []).map((s) => {
      const e = byStem.get(s);
      if (!e) throw new Error(`MERGES ${m.id}: no LOLRMM file yaml/${s}.yaml`);
      if (assigned.has(s)) throw new Error(`MERGES ${m.id}: ${s} is already in another tool`);
      assigned.add(s);
      return e;
    });
    if (m.jischell && !folders.includes(m.jischell))
      throw new Error(`MERGES ${m.id}: no jischell folder ${m.jischell}`);
    groups.push({
      id: m.id,
      name: m.name ?? entries[0].name,
      lol: entries,
      jischell: m.jischell,
      aliases: new Set(m.aliases ?? []),
    });
  }
  const byName = new Map();
  for (const e of lol) {
    if (assigned.has(e.stem)) continue;
    const k = norm(e.name);
    if (!byName.has(k)) byName.set(k, []);
    byName.get(k).push(e);
  }
  for (const entries of byName.values()) {
    groups.push({
      id: slug(entries[0].name),
      name: entries[0].name,
      lol: entries,
      jischell: undefined,
      aliases: new Set(),
    });
  }
  const taken = new Set(MERGES.map((m) => m.jischell).filter(Boolean));
  for (const folder of folders) {
    if (taken.has(folder)) continue;
    const hits = groups.filter(
      (g) =>
        !g.jischell &&
        [g.name, ...g.lol.flatMap((e) => [e.name, e.stem])].some((n) => norm(n) === norm(folder)),
    );
    if (hits.length !== 1) {
      throw new Error(`jischell folder ${folder} matches ${hits.length} LOLRMM tools: add it to MERGES`);
    }
    hits[0].jischell = folder;
  }
  const ids = new Set();
  for (const g of groups) {
    if (ids.has(g.id)) throw new Error(`duplicate tool id ${g.id}`);
    ids.add(g.id);
    for (const e of g.lol) g.aliases.add(e.name);
    if (g.jischell) g.aliases.add(g.jischell);
  }
  return groups;
}

function lookupIndex(groups) {
  const index = new Map();
  for (const g of groups) {
    const names = [g.id, g.name, ...g.aliases, ...g.lol.map((e) => e.stem)];
    for (const n of names) if (!index.has(norm(n))) index.set(norm(n), g);
  }
  return index;
}

/** Indicator store for one tool: one entry per kind and case-insensitive value. */
class IndicatorSet {
  constructor() {
    this.byKind = Object.fromEntries(KINDS.map((k) => [k, new Map()]));
  }

  add(kind, value, source, opts = {}) {
    // LOLRMM writes some signers with a stray trailing backslash (`ConnectWise\`).
    if (kind === 'signers' || kind === 'companyNames') value = value.replace(/\\+$/, '').trim();
    if (value === '') return;
    let key = value.toLowerCase();
    let shown = value;
    let domainExcluded;
    if (kind === 'domains') {
      const d = normalizeDomain(value);
      if (!d) return;
      shown = d.value;
      key = d.value.toLowerCase();
      domainExcluded = d.excluded;
    }
    const map = this.byKind[kind];
    let ind = map.get(key);
    if (!ind) {
      ind = { value: shown, sources: [] };
      if (opts.match) ind.match = opts.match;
      if (domainExcluded) ind.excluded = { reason: domainExcluded };
      map.set(key, ind);
    }
    if (!ind.sources.includes(source)) ind.sources.push(source);
    if (kind === 'domains' && value.trim().toLowerCase() !== shown.toLowerCase()) {
      ind.raw ??= [];
      if (!ind.raw.includes(value.trim())) ind.raw.push(value.trim());
    }
  }
}

function classify(kind, ind, toolId) {
  if (kind === 'domains') return; // done by normalizeDomain
  let reason;
  if (kind === 'signers' || kind === 'companyNames') reason = publisherReason(ind.value, toolId);
  else if (kind === 'productNames') reason = genericTermReason(ind.value);
  else if (kind === 'fileDescriptions') reason = fileDescriptionReason(ind.value);
  else if (kind === 'fileNames' || kind === 'originalFileNames') {
    // A `has` term from a query is a fragment of a name, judged as a term, not as a file name.
    reason =
      ind.match === 'term'
        ? (genericTermReason(ind.value) ?? fileNameReason(ind.value, toolId))
        : fileNameReason(ind.value, toolId);
  } else if (kind === 'installPaths') reason = installPathReason(ind.value);
  if (reason) ind.excluded = { reason };
}

function buildTools(groups, lol, networkRows) {
  const index = lookupIndex(groups);
  const sets = new Map(groups.map((g) => [g.id, new IndicatorSet()]));
  const websites = new Map(groups.map((g) => [g.id, []]));
  const sourceRefs = new Map(groups.map((g) => [g.id, {}]));
  for (const g of groups) {
    const set = sets.get(g.id);
    for (const e of g.lol) {
      for (const [k, v] of e.found) set.add(k, v, 'lolrmm');
      websites.get(g.id).push(...e.websites);
    }
    if (g.lol.length) sourceRefs.get(g.id).lolrmm = g.lol.map((e) => e.file);
    if (g.jischell) {
      const q = readJischellQueries(g.jischell);
      for (const [k, v, match] of q.found) set.add(k, v, 'jischell-query', { match });
      const s = readJischellSummary(g.jischell);
      for (const [k, v] of s.found) set.add(k, v, 'jischell-summary');
      websites.get(g.id).push(...s.websites);
      sourceRefs.get(g.id).jischell = [...q.files, ...(s.file ? [s.file] : [])];
    }
  }
  for (const row of networkRows) {
    const g = index.get(norm(row.tool));
    if (!g) throw new Error(`network list tool '${row.tool}' matches no tool: add an alias in MERGES`);
    g.aliases.add(row.tool);
    sets.get(g.id).add('domains', row.uri, 'jischell-network');
  }

  const tools = groups.map((g) => {
    const indicators = {};
    for (const kind of KINDS) {
      indicators[kind] = [...sets.get(g.id).byKind[kind].values()];
      for (const ind of indicators[kind]) classify(kind, ind, g.id);
    }
    const lolCategory = g.lol.map((e) => e.category).find(Boolean);
    const aliases = [...g.aliases].filter((a) => a.toLowerCase() !== g.name.toLowerCase());
    return {
      id: g.id,
      name: g.name,
      // First spelling wins: MERGES and LOLRMM spell names properly, the network list in lower case.
      aliases: aliases
        .filter((a, i) => aliases.findIndex((b) => b.toLowerCase() === a.toLowerCase()) === i)
        .sort((a, b) => a.localeCompare(b)),
      category: lolCategory || 'RMM',
      vendor: undefined,
      websites: [...new Set(websites.get(g.id).map((w) => w.replace(/\/+$/, '/')))],
      description: '',
      capabilities: [...new Set(g.lol.flatMap((e) => e.capabilities))],
      supportedOs: [...new Set(g.lol.flatMap((e) => e.supportedOs))],
      sourceFiles: sourceRefs.get(g.id),
      indicators,
    };
  });

  // Values claimed by several tools: kept on each, with the others named, so a hit on a shared
  // signer is not silently attributed to one tool.
  for (const kind of KINDS) {
    if (kind === 'fileDescriptions' || kind === 'installPaths') continue;
    const owners = new Map();
    for (const t of tools) {
      for (const ind of t.indicators[kind]) {
        const k = ind.value.toLowerCase();
        if (!owners.has(k)) owners.set(k, []);
        owners.get(k).push(t.id);
      }
    }
    for (const t of tools) {
      for (const ind of t.indicators[kind]) {
        const others = owners.get(ind.value.toLowerCase()).filter((id) => id !== t.id);
        if (others.length) ind.sharedWith = others.sort();
      }
    }
  }

  for (const t of tools) {
    t.vendor = pickVendor(t);
    if (!t.vendor) delete t.vendor;
    t.description = describe(t);
  }
  return tools.sort((a, b) => a.id.localeCompare(b.id));
}

/** The publisher most sources agree on; LOLRMM's values are exact names, so they win ties. */
function pickVendor(t) {
  const candidates = [...t.indicators.companyNames, ...t.indicators.signers].filter(
    (i) => !i.excluded && !i.sharedWith,
  );
  let best;
  let bestScore = -1;
  for (const c of candidates) {
    const score = c.sources.length + (c.sources.includes('lolrmm') ? 2 : 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best?.value;
}

/** A short description in our own words, from the facts gathered (sources' prose is not copied). */
function describe(t) {
  const kind =
    t.category === 'RAT'
      ? 'remote access tool'
      : 'remote monitoring and management (RMM) or remote access tool';
  const parts = [`${t.name} is a ${kind}${t.vendor ? ` published by ${t.vendor}` : ''}.`];
  if (t.capabilities.length) parts.push(`Listed capabilities: ${t.capabilities.slice(0, 6).join(', ')}.`);
  if (t.supportedOs.length) parts.push(`Platforms: ${t.supportedOs.join(', ')}.`);
  const usable = KINDS.reduce((n, k) => n + t.indicators[k].filter((i) => !i.excluded).length, 0);
  parts.push(
    usable
      ? `${usable} huntable indicator${usable === 1 ? '' : 's'} in this catalog.`
      : 'No huntable indicator in this catalog yet.',
  );
  return parts.join(' ');
}

// ───────────────────────────── figures ─────────────────────────────

function lolrmmFigures(lol) {
  const has = (e, kinds, real = true) =>
    e.found.some(([k, v]) => kinds.includes(k) && !(real && k === 'domains' && v === 'user_managed'));
  return {
    files: lol.length,
    distinctNames: new Set(lol.map((e) => e.name)).size,
    distinctNamesIgnoringCaseAndPunctuation: new Set(lol.map((e) => norm(e.name))).size,
    withAnyIndicator: lol.filter((e) => has(e, KINDS)).length,
    withCodeSigningSection: lol.filter((e) => e.hasCodeSigning).length,
    withSigners: lol.filter((e) => has(e, ['signers'])).length,
    // LOLRMM writes `user_managed` for self-hosted tools; counted here, not as a domain below.
    withDomainEntries: lol.filter((e) => has(e, ['domains'], false)).length,
    withDomains: lol.filter((e) => has(e, ['domains'])).length,
    withFileNamesOrPaths: lol.filter((e) => has(e, ['fileNames', 'originalFileNames', 'installPaths']))
      .length,
  };
}

function catalogFigures(tools) {
  const usable = (t, kinds) => kinds.some((k) => t.indicators[k].some((i) => !i.excluded));
  const indicators = {};
  const excludedByReason = {};
  for (const kind of KINDS) {
    const all = tools.flatMap((t) => t.indicators[kind]);
    const excluded = all.filter((i) => i.excluded);
    indicators[kind] = { total: all.length, usable: all.length - excluded.length, excluded: excluded.length };
    for (const i of excluded) {
      // Reasons quoting the value ("generic word 'agent'") are counted under their general form.
      const r = i.excluded.reason.replace(/ '[^']*'/, '');
      excludedByReason[r] = (excludedByReason[r] ?? 0) + 1;
    }
  }
  return {
    tools: tools.length,
    fromLolrmm: tools.filter((t) => t.sourceFiles.lolrmm).length,
    fromJischell: tools.filter((t) => t.sourceFiles.jischell).length,
    fromBoth: tools.filter((t) => t.sourceFiles.lolrmm && t.sourceFiles.jischell).length,
    withUsableIndicator: tools.filter((t) => usable(t, KINDS)).length,
    withUsableProcessIndicator: tools.filter((t) =>
      usable(t, ['companyNames', 'productNames', 'originalFileNames', 'fileNames']),
    ).length,
    withUsableSigner: tools.filter((t) => usable(t, ['signers'])).length,
    withUsableDomain: tools.filter((t) => usable(t, ['domains'])).length,
    indicators,
    excludedByReason: Object.fromEntries(Object.entries(excludedByReason).sort((a, b) => b[1] - a[1])),
  };
}

// ───────────────────────────── main ─────────────────────────────

const lol = readLolrmm();
const folders = readdirSync(join(RMM_SOURCES, 'rmm-monitoring-tools', 'RMM')).sort();
const groups = groupTools(lol, folders);
const tools = buildTools(groups, lol, readNetworkList());
const catalog = {
  generatedBy: 'scripts/gen-rmm-catalog.mjs',
  sources: SOURCES.map(({ licenceFile, ...s }) => ({ ...s, licenceFile: `data/rmm/${licenceFile}` })),
  lolrmm: lolrmmFigures(lol),
  counts: catalogFigures(tools),
  tools,
};

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(join(OUT_DIR, 'catalog.json'), JSON.stringify(catalog, null, 1) + '\n');
// Written rather than copied so the sources' read-only mode does not carry over.
writeFileSync(join(OUT_DIR, 'LICENSE-LOLRMM'), readFileSync(join(RMM_SOURCES, 'lolrmm', 'LICENSE')));
writeFileSync(
  join(OUT_DIR, 'LICENSE-RMM-MONITORING-TOOLS'),
  readFileSync(join(RMM_SOURCES, 'rmm-monitoring-tools', 'LICENSE')),
);
writeFileSync(join(OUT_DIR, 'README.md'), readme(catalog));

function readme(c) {
  const k = c.counts;
  const rows = KINDS.map(
    (kind) =>
      `| ${kind} | ${k.indicators[kind].total} | ${k.indicators[kind].usable} | ${k.indicators[kind].excluded} |`,
  );
  const reasons = Object.entries(k.excludedByReason).map(([r, n]) => `| ${r} | ${n} |`);
  return `# RMM indicator catalog

\`catalog.json\` lists remote monitoring and management (RMM) and remote access tools with the
indicators that identify them in endpoint telemetry, merged from two public sources and generated by
\`scripts/gen-rmm-catalog.mjs\`. The product reads it through \`src/rules/rmm-catalog.ts\`; the RMM
rule pack (\`data/rules/rmm-pack/\`) is generated from it.

## Sources

| source id | repository | commit | licence |
|---|---|---|---|
${c.sources.map((s) => `| \`${s.id}\` | ${s.repository} (${s.what}) | \`${s.commit}\` | ${s.licence} (\`${s.licenceFile.replace('data/rmm/', '')}\`) |`).join('\n')}

LOLRMM © its contributors, Apache License 2.0 (\`LICENSE-LOLRMM\`).
RemoteManagementMonitoringTools © 2023 J Schell, MIT License (\`LICENSE-RMM-MONITORING-TOOLS\`).
Only facts (names, file names, signers, domains, paths) are taken; tool descriptions are written by
the generator from those facts, not copied.

## Shape

Each tool: \`id\` (slug), \`name\`, \`aliases\`, \`category\`, \`vendor\`, \`websites\`, \`description\`,
\`capabilities\`, \`supportedOs\`, \`sourceFiles\` (the upstream files it came from) and \`indicators\`
by kind (${KINDS.map((x) => `\`${x}\``).join(', ')}). Each indicator:
\`{ value, sources, match?, raw?, sharedWith?, excluded? }\` — \`sources\` says which source(s) gave it;
\`match: "term"\` marks a query's \`has\` fragment rather than a full value; a file name with \`*\` is a
pattern; \`raw\` keeps the original spelling of a normalized domain; \`sharedWith\` names other tools that
claim the same value; \`excluded: {reason}\` marks values too generic to hunt (kept, never dropped).

## Figures

LOLRMM alone: ${c.lolrmm.files} files, ${c.lolrmm.distinctNames} distinct tool names (${c.lolrmm.distinctNamesIgnoringCaseAndPunctuation} ignoring case and
punctuation); ${c.lolrmm.withAnyIndicator} files with some indicator; ${c.lolrmm.withCodeSigningSection} with a code-signing section, ${c.lolrmm.withSigners} of them naming a
signer; ${c.lolrmm.withDomainEntries} with domain entries, ${c.lolrmm.withDomains} once the \`user_managed\` placeholder is left out;
${c.lolrmm.withFileNamesOrPaths} with file names or installation paths.

Catalog: ${k.tools} tools (${k.fromLolrmm} with LOLRMM data, ${k.fromJischell} with jischell-msft data, ${k.fromBoth} with both);
${k.withUsableIndicator} have at least one usable indicator (process: ${k.withUsableProcessIndicator}, signer: ${k.withUsableSigner}, domain: ${k.withUsableDomain}).

| kind | total | usable | excluded |
|---|---|---|---|
${rows.join('\n')}

| excluded because | count |
|---|---|
${reasons.join('\n')}

## Regenerate

\`node scripts/gen-rmm-catalog.mjs [path/to/rmm-sources]\` (default \`../shared/rmm-sources\`).
Tool merges across sources are an explicit table (\`MERGES\`) in the script.
`;
}

console.log(
  `wrote data/rmm/catalog.json: ${catalog.counts.tools} tools, ${catalog.counts.withUsableIndicator} with usable indicators ` +
    `(LOLRMM: ${catalog.lolrmm.files} files, ${catalog.lolrmm.withAnyIndicator} with indicators)`,
);
