import { URL_MACROS } from './urls.js';
import { SKETCH_MACROS } from './sketches.js';
import { XXHASH_MACROS } from './xxhash.js';

/**
 * SQL macros the DuckDB lowering relies on for semantics that take more than one expression
 * (Kusto's string forms of datetimes and timespans, dynamic-value helpers, IPv4 parsing).
 * DuckDB inlines macros when binding, so they cost nothing at run time. Installed as TEMP
 * macros on every connection that runs compiled KQL; nothing is stored in the user's file.
 */
export const DUCKDB_MACROS: string[] = [
  ...URL_MACROS,
  ...XXHASH_MACROS,
  // Kusto's datetime text: ISO 8601 UTC, fraction (up to 7 digits, trailing zeros trimmed) only when non-zero.
  `CREATE OR REPLACE TEMP MACRO socfeed_tostring_datetime(t) AS
    CASE WHEN t IS NULL THEN '' ELSE
      strftime(t, '%Y-%m-%dT%H:%M:%S') ||
      CASE WHEN (((epoch_ns(t) % 1000000000) + 1000000000) % 1000000000) // 100 = 0 THEN ''
           ELSE '.' || rtrim(lpad(CAST((((epoch_ns(t) % 1000000000) + 1000000000) % 1000000000) // 100 AS VARCHAR), 7, '0'), '0') END
      || 'Z' END`,
  // Kusto's timespan text: [-][d.]hh:mm:ss[.fffffff] from 100 ns ticks.
  `CREATE OR REPLACE TEMP MACRO socfeed_tostring_timespan(x) AS
    CASE WHEN x IS NULL THEN '' ELSE
      (CASE WHEN x < 0 THEN '-' ELSE '' END) ||
      (CASE WHEN abs(x) >= 864000000000 THEN CAST(abs(x) // 864000000000 AS VARCHAR) || '.' ELSE '' END) ||
      lpad(CAST((abs(x) % 864000000000) // 36000000000 AS VARCHAR), 2, '0') || ':' ||
      lpad(CAST((abs(x) % 36000000000) // 600000000 AS VARCHAR), 2, '0') || ':' ||
      lpad(CAST((abs(x) % 600000000) // 10000000 AS VARCHAR), 2, '0') ||
      (CASE WHEN abs(x) % 10000000 = 0 THEN '' ELSE '.' || lpad(CAST(abs(x) % 10000000 AS VARCHAR), 7, '0') END)
    END`,
  // Reals print without a trailing .0, as .NET does.
  `CREATE OR REPLACE TEMP MACRO socfeed_tostring_real(x) AS
    CASE WHEN x IS NULL THEN ''
         WHEN isnan(x) THEN 'NaN'
         WHEN isinf(x) THEN CASE WHEN x > 0 THEN 'Infinity' ELSE '-Infinity' END
         WHEN x = trunc(x) AND abs(x) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
         ELSE CAST(x AS VARCHAR) END`,
  // A dynamic value as text: strings unquoted, everything else as JSON; null → "".
  `CREATE OR REPLACE TEMP MACRO socfeed_tostring_dynamic(j) AS
    CASE WHEN j IS NULL THEN ''
         WHEN json_type(j) = 'NULL' THEN ''
         WHEN json_type(j) = 'VARCHAR' THEN json_extract_string(j, '$')
         ELSE CAST(j AS VARCHAR) END`,
  // parse_json: valid JSON becomes dynamic; anything else is kept as a JSON string.
  `CREATE OR REPLACE TEMP MACRO socfeed_parse_json(s) AS
    CASE WHEN s IS NULL OR s = '' THEN CAST(NULL AS JSON)
         WHEN json_valid(s) THEN CAST(s AS JSON)
         ELSE to_json(s) END`,
  // JSON pointer for one property name (~ and / escaped as RFC 6901 says).
  `CREATE OR REPLACE TEMP MACRO socfeed_json_pointer(k) AS '/' || replace(replace(k, '~', '~0'), '/', '~1')`,
  `CREATE OR REPLACE TEMP MACRO socfeed_json_get(j, k) AS
    CASE WHEN json_type(j) = 'OBJECT' THEN json_extract(j, socfeed_json_pointer(k)) END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_json_index(j, i) AS
    CASE WHEN json_type(j) = 'ARRAY' THEN
      json_extract(j, '$[' || CASE WHEN i < 0 THEN '#' || CAST(i AS VARCHAR) ELSE CAST(i AS VARCHAR) END || ']') END`,
  // Elements mv-expand produces: array items; bag entries as {"k":v} (or ["k", v]); null → one null.
  `CREATE OR REPLACE TEMP MACRO socfeed_json_elements(j, mode) AS
    CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN [CAST(NULL AS JSON)]
         WHEN json_type(j) = 'ARRAY' THEN from_json(j, '["JSON"]')
         WHEN json_type(j) = 'OBJECT' THEN list_transform(json_keys(j), k ->
              CASE WHEN mode = 'array' THEN json_array(k, json_extract(j, socfeed_json_pointer(k)))
                   ELSE json_object(k, json_extract(j, socfeed_json_pointer(k))) END)
         ELSE [j] END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_json_array_length(j) AS
    CASE WHEN json_type(j) = 'ARRAY' THEN CAST(json_array_length(j) AS BIGINT) END`,
  // Timespan text ([-][d.]hh:mm[:ss[.f]]) → ticks, or null.
  `CREATE OR REPLACE TEMP MACRO socfeed_parse_timespan(s) AS
    CASE WHEN regexp_matches(s, '^-?(\\d+\\.)?\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?$') THEN
      (CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END) * (
        coalesce(TRY_CAST(regexp_extract(s, '^-?(\\d+)\\.\\d{1,2}:', 1) AS BIGINT), 0) * 864000000000 +
        CAST(regexp_extract(s, '(\\d{1,2}):\\d{2}(:|$)', 1) AS BIGINT) * 36000000000 +
        CAST(regexp_extract(s, '\\d{1,2}:(\\d{2})', 1) AS BIGINT) * 600000000 +
        coalesce(TRY_CAST(regexp_extract(s, '\\d{1,2}:\\d{2}:(\\d{2})', 1) AS BIGINT), 0) * 10000000 +
        coalesce(TRY_CAST(rpad(regexp_extract(s, '\\.(\\d{1,7})$', 1), 7, '0') AS BIGINT), 0))
    END`,
  // Dotted-quad IPv4 (optionally with /prefix) → its 32-bit value, or null.
  `CREATE OR REPLACE TEMP MACRO socfeed_parse_ipv4(s) AS
    CASE WHEN regexp_matches(s, '^\\s*(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(/\\d{1,2})?\\s*$') THEN
      CASE WHEN list_bool_and(list_transform(string_split(split_part(trim(s), '/', 1), '.'), x -> CAST(x AS INTEGER) <= 255)) THEN
        (CAST(split_part(trim(s), '.', 1) AS BIGINT) << 24) + (CAST(split_part(trim(s), '.', 2) AS BIGINT) << 16) +
        (CAST(split_part(trim(s), '.', 3) AS BIGINT) << 8) + CAST(split_part(split_part(trim(s), '/', 1), '.', 4) AS BIGINT)
      END
    END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_ipv4_prefix(s) AS
    CASE WHEN contains(s, '/') THEN TRY_CAST(split_part(s, '/', 2) AS INTEGER) ELSE 32 END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_ipv4_in_range(ip, cidr) AS
    CASE WHEN socfeed_parse_ipv4(ip) IS NULL OR socfeed_parse_ipv4(cidr) IS NULL THEN NULL ELSE
      (socfeed_parse_ipv4(ip) >> (32 - least(socfeed_ipv4_prefix(cidr), socfeed_ipv4_prefix(ip)))) =
      (socfeed_parse_ipv4(cidr) >> (32 - least(socfeed_ipv4_prefix(cidr), socfeed_ipv4_prefix(ip)))) END`,
  // Case-insensitive whole-term match for needles only known at run time (ASCII term characters).
  `CREATE OR REPLACE TEMP MACRO socfeed_has(s, n) AS
    CASE WHEN n = '' THEN TRUE ELSE regexp_matches(s,
      (CASE WHEN regexp_matches(n, '^[0-9A-Za-z]') THEN '(?:^|[^0-9A-Za-z])' ELSE '' END) ||
      '(?i:' || regexp_escape(n) || ')' ||
      (CASE WHEN regexp_matches(n, '[0-9A-Za-z]$') THEN '(?:$|[^0-9A-Za-z])' ELSE '' END)) END`,
  `CREATE OR REPLACE TEMP MACRO socfeed_has_cs(s, n) AS
    CASE WHEN n = '' THEN TRUE ELSE regexp_matches(s,
      (CASE WHEN regexp_matches(n, '^[0-9A-Za-z]') THEN '(?:^|[^0-9A-Za-z])' ELSE '' END) ||
      regexp_escape(n) ||
      (CASE WHEN regexp_matches(n, '[0-9A-Za-z]$') THEN '(?:$|[^0-9A-Za-z])' ELSE '' END)) END`,
  // Last: they call the dynamic-value helpers above.
  ...SKETCH_MACROS,
];
