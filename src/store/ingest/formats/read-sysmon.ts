import { ProcessIndex } from '../sysmon/process-index.js';
import { SysmonMapper } from '../sysmon/map.js';
import { isSysmon, normalizeWindowsEvent, type WindowsEvent } from '../sysmon/windows-event.js';
import { REASONS } from '../sql/pass-sql.js';
import { forEachJsonRecord, type ReadContext } from './read-context.js';

function parseEvent(bytes: Buffer): WindowsEvent | 'malformed' | 'not-event' {
  let o: unknown;
  try {
    o = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'malformed';
  }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 'malformed';
  const e = normalizeWindowsEvent(o as Record<string, unknown>);
  return e.eventId === undefined ? 'not-event' : e;
}

/**
 * Windows event JSON (Sysmon among other channels). Two passes over the source: the first indexes
 * process creations (EID 1) by ProcessGuid, the second maps each event to a Defender row and fills
 * its InitiatingProcess* columns from that index, as MDE does. Mapping needs JS; the rows then go
 * through the same bulk pass as every other format (types, rejects, extras).
 */
export async function readSysmon(ctx: ReadContext): Promise<void> {
  const index = new ProcessIndex();
  await forEachJsonRecord(
    ctx,
    (bytes) => {
      const e = parseEvent(bytes);
      if (typeof e !== 'string' && isSysmon(e) && e.eventId === 1) index.addCreation(e);
    },
    () => {},
  );
  const mapper = new SysmonMapper(ctx.schema, index);
  await forEachJsonRecord(
    ctx,
    (bytes, line, rec) => {
      const e = parseEvent(bytes);
      if (e === 'malformed') return ctx.loader.push({ line, rec, raw: bytes, error: REASONS.malformed });
      if (e === 'not-event')
        return ctx.loader.push({ line, rec, raw: bytes, error: 'not a Windows event (no EventID)' });
      const m = mapper.map(e);
      if ('skip' in m) ctx.counters.skip(m.skip);
      else ctx.loader.push({ line, rec, table: m.table, doc: JSON.stringify(m.row), raw: bytes });
    },
    (error, line, raw, rec) => ctx.loader.push({ line, rec, raw, error }),
  );
}
