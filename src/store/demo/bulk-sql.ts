/**
 * The statements behind the bulk generators. DuckDB produces the rows itself from `range(n)`;
 * each row's choices come from hashes of its number (`hash(i, seed, k)`), so the same options
 * always give the same rows, in any thread order. All values arrive as named parameters; the
 * only identifiers are our own table and column names.
 *
 * Parameters: $n rows, $seed, $now_ns, $span (ticks), $devices, $planted_ppm / $near_ppm (rows
 * per million that take a planted / near-miss slot), $n_ordinary / $n_planted / $n_near (slot
 * counts, in that order in _socfeed_bulk_slots), $per_tool (slots per planted tool),
 * $tool_base_0..2 (first device of each planted tool, in slot order), $base (first ReportId).
 */
export type BulkTable = 'DeviceProcessEvents' | 'DeviceNetworkEvents' | 'DeviceFileCertificateInfo';

/**
 * First phase, integers only: per row, its number, the slot it takes, the device it lands on and
 * its timestamp (ns, a multiple of 100). Ordinary rows go to any device; each planted tool to its
 * own 4 devices (the same ones in every table), each near-miss kind to 2 (a tool runs on a few machines, not everywhere). Having
 * these as plain columns of a table lets DuckDB plan the joins of the second phase correctly (on
 * expressions it misjudged the sizes and built its hash table on the big side).
 */
export const PICKS_SQL = `
CREATE OR REPLACE TEMP TABLE _socfeed_bulk_picks AS
SELECT i, slot_no,
  CASE WHEN slot_no < $n_ordinary THEN h2 % $devices
       WHEN slot_no < $n_ordinary + $n_planted THEN
         (CASE (slot_no - $n_ordinary) // $per_tool WHEN 0 THEN $tool_base_0 WHEN 1 THEN $tool_base_1 ELSE $tool_base_2 END + h2 % 4) % $devices
       ELSE ((slot_no - $n_ordinary - $n_planted) * 104729 + 31 + h2 % 2) % $devices END AS dev,
  ts, h4, h5, h6
FROM (
  SELECT i, h2, h4, h5, h6,
    CASE WHEN h0 % 1000000 < $planted_ppm THEN $n_ordinary + h1 % $n_planted
         WHEN h0 % 1000000 < $planted_ppm + $near_ppm THEN $n_ordinary + $n_planted + h1 % $n_near
         ELSE h1 % $n_ordinary END AS slot_no,
    $now_ns - (h3 % $span) * 100 AS ts
  FROM (
    SELECT range AS i,
      (hash(range, $seed, 0) >> 1)::BIGINT AS h0,
      (hash(range, $seed, 1) >> 1)::BIGINT AS h1,
      (hash(range, $seed, 2) >> 1)::BIGINT AS h2,
      (hash(range, $seed, 3) >> 1)::BIGINT AS h3,
      (hash(range, $seed, 4) >> 1)::BIGINT AS h4,
      (hash(range, $seed, 5) >> 1)::BIGINT AS h5,
      (hash(range, $seed, 6) >> 1)::BIGINT AS h6
    FROM range($n)
  )
)`;

/** Second phase: the picks joined to their slot and device make the rows. */
const PICK = `
  FROM _socfeed_bulk_picks r
  JOIN _socfeed_bulk_slots s ON s.slot = r.slot_no
  JOIN _socfeed_bulk_devices d ON d.idx = r.dev`;

/** A path or command line of the slot, with `{user}` made the device user's profile folder. */
function perUser(column: string): string {
  // Only the few slots that name a profile pay for replace(); it is a fifth of the insert otherwise.
  return `CASE WHEN s.per_user THEN replace(s.${column}, '{user}', d.profile) ELSE s.${column} END`;
}

/** Up to 8 hours between a parent's start and the event. */
const PARENT_START = 'make_timestamp_ns(r.ts - (r.h5 % 288000000000) * 100)';

/**
 * Bulk rows fill the columns hunting queries use (names, paths, hashes, version info, command
 * lines, accounts, the parent process); the rest keep the store's defaults. Every column of a
 * Defender table costs insert time even when empty, and each filled string column adds more, so
 * the bulk tables stop at what a hunt reads.
 */
export const PROCESS_INSERT_SQL = `
INSERT INTO "DeviceProcessEvents" (
  "Timestamp", "DeviceId", "DeviceName", "ActionType", "FileName", "FolderPath", "SHA1", "SHA256", "FileSize",
  "ProcessVersionInfoCompanyName", "ProcessVersionInfoProductName", "ProcessVersionInfoProductVersion",
  "ProcessVersionInfoOriginalFileName", "ProcessVersionInfoFileDescription",
  "ProcessId", "ProcessCommandLine", "ProcessIntegrityLevel", "ProcessCreationTime",
  "AccountDomain", "AccountName", "AccountSid", "LogonId",
  "InitiatingProcessAccountName", "InitiatingProcessSHA1", "InitiatingProcessFileName",
  "InitiatingProcessVersionInfoCompanyName", "InitiatingProcessVersionInfoProductName",
  "InitiatingProcessId", "InitiatingProcessCommandLine", "InitiatingProcessCreationTime", "InitiatingProcessFolderPath",
  "InitiatingProcessParentId", "InitiatingProcessParentFileName",
  "ReportId", "_socfeed_ingestion_time")
SELECT
  make_timestamp_ns(r.ts), d.DeviceId, d.DeviceName, 'ProcessCreated',
  s.FileName, ${perUser('FolderPath')}, s.SHA1, s.SHA256, s.FileSize,
  s.CompanyName, s.ProductName, s.ProductVersion, s.OriginalFileName, s.FileDescription,
  4 * (100 + r.h4 % 16000), ${perUser('cmd')}, coalesce(s.a_integrity, 'Medium'), make_timestamp_ns(r.ts),
  coalesce(s.a_domain, d.u_domain), coalesce(s.a_name, d.u_name), coalesce(s.a_sid, d.u_sid),
  CASE WHEN s.a_name IS NULL THEN 1048576 + r.h5 % 200000000 ELSE 999 END,
  coalesce(s.a_name, d.u_name), s.p_SHA1, s.p_FileName, s.p_CompanyName, s.p_ProductName,
  4 * (100 + r.h5 % 16000), ${perUser('p_cmd')}, ${PARENT_START}, ${perUser('p_FolderPath')},
  4 * (100 + r.h6 % 4000), s.gp_FileName,
  $base + r.i, make_timestamp_ns($now_ns)
${PICK}`;

export const NETWORK_INSERT_SQL = `
INSERT INTO "DeviceNetworkEvents" (
  "Timestamp", "DeviceId", "DeviceName", "ActionType", "RemoteIP", "RemotePort", "RemoteUrl",
  "LocalIP", "LocalPort", "Protocol", "RemoteIPType",
  "InitiatingProcessSHA1", "InitiatingProcessFileName", "InitiatingProcessFolderPath", "InitiatingProcessCommandLine",
  "InitiatingProcessId", "InitiatingProcessCreationTime",
  "InitiatingProcessVersionInfoCompanyName", "InitiatingProcessVersionInfoProductName",
  "InitiatingProcessAccountDomain", "InitiatingProcessAccountName", "InitiatingProcessParentFileName",
  "ReportId", "_socfeed_ingestion_time")
SELECT
  make_timestamp_ns(r.ts), d.DeviceId, d.DeviceName,
  CASE WHEN r.h4 % 100 < 2 THEN 'ConnectionFailed' ELSE 'ConnectionSuccess' END,
  s.RemoteIP, s.RemotePort, s.RemoteUrl, d.LocalIP, 49152 + r.h4 % 16384, 'Tcp', 'Public',
  s.SHA1, s.FileName, ${perUser('FolderPath')}, ${perUser('cmd')},
  4 * (100 + r.h5 % 16000), ${PARENT_START},
  s.CompanyName, s.ProductName,
  coalesce(s.a_domain, d.u_domain), coalesce(s.a_name, d.u_name), s.p_FileName,
  $base + r.i, make_timestamp_ns($now_ns)
${PICK}`;

export const CERTIFICATE_INSERT_SQL = `
INSERT INTO "DeviceFileCertificateInfo" (
  "Timestamp", "DeviceId", "DeviceName", "SHA1", "IsSigned", "SignatureType", "Signer", "SignerHash", "Issuer", "IssuerHash",
  "CertificateSerialNumber", "CrlDistributionPointUrls", "CertificateCreationTime", "CertificateExpirationTime",
  "CertificateCountersignatureTime", "IsTrusted", "IsRootSignerMicrosoft", "ReportId", "_socfeed_ingestion_time")
SELECT
  make_timestamp_ns(r.ts), d.DeviceId, d.DeviceName, s.SHA1, true, s.SignatureType, s.Signer, s.SignerHash, s.Issuer, s.IssuerHash,
  s.CertificateSerialNumber, s.CrlDistributionPointUrls, make_timestamp_ns(s.created_ns), make_timestamp_ns(s.expires_ns),
  make_timestamp_ns(s.created_ns + (s.expires_ns - s.created_ns) // 4), s.IsTrusted, s.IsRootSignerMicrosoft,
  $base + r.i, make_timestamp_ns($now_ns)
${PICK}`;

/** The columns a table's planted and near-miss rows are recognised by (the slot's marker_a/b). */
const MARKER_COLUMNS: Record<BulkTable, [string, string]> = {
  DeviceProcessEvents: ['ProcessVersionInfoCompanyName', 'ProcessVersionInfoProductName'],
  DeviceNetworkEvents: ['InitiatingProcessVersionInfoCompanyName', 'InitiatingProcessVersionInfoProductName'],
  DeviceFileCertificateInfo: ['Signer', 'SHA1'],
};

function countSql(table: BulkTable): string {
  const [a, b] = MARKER_COLUMNS[table];
  const measures = `count(*), count(*) FILTER (WHERE epoch_ns(t."Timestamp") BETWEEN $window_start AND $now_ns),
    count(DISTINCT t.DeviceId), count(DISTINCT t.DeviceId) FILTER (WHERE epoch_ns(t."Timestamp") BETWEEN $window_start AND $now_ns)`;
  return `
WITH t AS (SELECT "Timestamp", DeviceId, "${a}" AS a, "${b}" AS b FROM "${table}" WHERE ReportId BETWEEN $lo AND $hi),
     m AS (SELECT DISTINCT kind, label, marker_a, marker_b FROM _socfeed_bulk_slots WHERE kind <> 'ordinary')
SELECT 'total', '', ${measures} FROM t
UNION ALL
SELECT m.kind, m.label, ${measures} FROM t JOIN m ON t.a = m.marker_a AND t.b = m.marker_b GROUP BY m.kind, m.label`;
}

/** Counts over the inserted rows (by ReportId range): all of them, and per planted tool / near-miss kind. */
export const COUNT_SQL: Record<BulkTable, string> = {
  DeviceProcessEvents: countSql('DeviceProcessEvents'),
  DeviceNetworkEvents: countSql('DeviceNetworkEvents'),
  DeviceFileCertificateInfo: countSql('DeviceFileCertificateInfo'),
};
