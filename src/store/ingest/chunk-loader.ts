import type { DuckDBValue } from '@duckdb/node-api';
import type { TableSchema } from '../../schema/index.js';
import type { Store } from '../store.js';
import { INGESTION_TIME_COLUMN } from '../../sql/dialects/duckdb/ddl.js';
import { FileCounters } from './file-counters.js';
import { fastKeysOf, sampleKeys } from './fast-keys.js';
import { KeyClassifier } from './key-classes.js';
import { REJECTS_TABLE } from './sql/bookkeeping.js';
import { ident, isCapturableKey } from './sql/literals.js';
import { buildFastInsertSql, type FastSpec } from './sql/fast-insert-sql.js';
import { buildPassSql, PASS_TABLE, type PassFilter, type RecordShape } from './sql/pass-sql.js';
import type { Stage, StageBuffer, StagedRecord } from './sql/stage.js';

/** Everything a loader needs to know about the member being read. */
export interface LoadTarget {
  store: Store;
  stage: Stage;
  counters: FileCounters;
  runId: string;
  /** Ingest time of this file, ISO-8601 UTC (becomes `_socfeed_ingestion_time`). */
  ingestTime: string;
  /** Shown in rejects: the file path, or `archive.zip!member.json`. */
  source: string;
  /** How records routed by content look: streaming API envelopes or flat rows. */
  shape: 'envelope' | 'flat';
  /** Table for flat rows that do not name one (--table). */
  defaultTable?: string;
}

/** What a key set (one "signature" of rows) means for a table, computed once per file. */
interface SignatureInfo {
  keys: string[];
  extras: string[];
  renamed: [from: string, to: string][];
}

/** What one pass produced, from a single aggregate over the pass table. */
interface PassMeta {
  accepted: number;
  rejected: number;
  /** Records that name another table. */
  elsewhere: number;
  /** Key sets of the accepted rows: hash, a representative record, row count. */
  signatures: { hash: string; rec: DuckDBValue; rows: number }[];
  /** Per captured extra: accepted rows where it had a value. */
  extraValues: number[];
}

/** Per table: spellings and extras learned from the data so far (they only grow). */
interface TableLearning {
  variants: Map<string, string[]>;
  captured: string[];
  signatures: Map<string, SignatureInfo>;
  /** The usual key set, read on the fast path; undefined until a sample was seen. */
  fastKeys?: string[];
}

/**
 * Moves staged records into the store: one bulk SQL pass per table present in the chunk, good rows
 * into the table, failures into the rejects table, all inside the caller's transaction.
 */
export class ChunkLoader {
  private readonly learning = new Map<string, TableLearning>();
  private lastGuess: string | undefined;
  private readonly knownTables: string[];
  /** The chunk DuckDB is loading while JS fills the other stage table. */
  private pending: Promise<void> | undefined;

  constructor(private readonly t: LoadTarget) {
    this.knownTables = t.store.schema.tableNames();
  }

  push(r: StagedRecord): void {
    this.t.stage.current.add(r);
  }

  /**
   * Between input buffers: once the current stage table holds a chunk's worth, hand it to DuckDB
   * (asynchronously) and continue filling the other one.
   */
  async maybeFlush(): Promise<void> {
    if (!this.t.stage.current.full) return;
    await this.settle();
    const chunk = this.t.stage.swap();
    chunk.flush();
    const work = this.load(chunk).then(() => chunk.reset());
    work.catch(() => {}); // awaited (and rethrown) by settle()
    this.pending = work;
  }

  /** Loads everything staged so far; the loader is idle afterwards. */
  async flush(): Promise<void> {
    await this.settle();
    const chunk = this.t.stage.current;
    if (chunk.rows === 0) return;
    chunk.flush();
    await this.load(chunk);
    await chunk.reset();
  }

  /** After a failure elsewhere: waits for DuckDB to finish the chunk in flight, ignoring its outcome. */
  async abandon(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    await p?.catch(() => undefined);
  }

  private async settle(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (p) await p;
  }

  /** One chunk into the store: a bulk pass per table present in it. */
  private async load(chunk: StageBuffer): Promise<void> {
    if (chunk.errorRows > 0) await this.rejectStagedErrors(chunk);
    if (chunk.unroutedRows > 0) {
      const guess = this.guessTable(chunk);
      const elsewhere = await this.runPass(
        chunk,
        guess,
        this.t.shape,
        { kind: 'unrouted' },
        chunk.unroutedRows,
      );
      if (elsewhere > 0) {
        await this.run(
          `CREATE OR REPLACE TEMP TABLE _socfeed_reroute AS SELECT _sf_rec AS rec, _sf_route AS route FROM ${PASS_TABLE} WHERE _sf_reason IS NULL`,
        );
        const routes = await this.rows(
          'SELECT route, count(*) FROM _socfeed_reroute GROUP BY route ORDER BY route',
        );
        for (const [route, n] of routes) {
          await this.runPass(chunk, String(route), this.t.shape, { kind: 'rerouted' }, Number(n));
        }
      }
    }
    for (const [table, n] of [...chunk.routedTables].sort()) {
      await this.runPass(chunk, table, 'routed', { kind: 'routed' }, n);
    }
  }

  private async run(sql: string, params: Record<string, DuckDBValue> = {}) {
    return this.t.store.connection.run(sql, params);
  }

  private async rows(sql: string, params: Record<string, DuckDBValue> = {}): Promise<DuckDBValue[][]> {
    return (await this.t.store.connection.runAndReadAll(sql, params)).getRows();
  }

  /** A cheap first guess of the chunk's table (one JSON.parse); a wrong guess costs one extra pass. */
  private guessTable(chunk: StageBuffer): string {
    let guess: string | undefined;
    try {
      const first = chunk.firstUnrouted;
      const text = typeof first === 'string' ? first : Buffer.from(first ?? []).toString('utf8');
      const obj = JSON.parse(text) as Record<string, unknown>;
      const named =
        this.t.shape === 'envelope'
          ? String(obj['category'] ?? '').replace(/^AdvancedHunting-/, '')
          : obj['Type'];
      if (typeof named === 'string' && this.knownTables.includes(named)) guess = named;
    } catch {
      // malformed first record: fall through to the previous guess
    }
    guess ??= this.lastGuess ?? this.t.defaultTable ?? this.knownTables[0]!;
    this.lastGuess = guess;
    return guess;
  }

  private learningFor(table: string): TableLearning {
    let l = this.learning.get(table);
    if (!l) {
      l = { variants: new Map(), captured: [], signatures: new Map() };
      const schema = this.table(table);
      // Every streamed record carries MachineGroup; capture it up front to save a second pass.
      if (this.t.shape === 'envelope' && !schema.columns.some((c) => c.name === 'MachineGroup'))
        l.captured.push('MachineGroup');
      this.learning.set(table, l);
    }
    return l;
  }

  private table(name: string): TableSchema {
    const t = this.t.store.schema.table(name);
    if (!t) throw new Error(`invariant: pass for unknown table ${name}`);
    return t;
  }

  /**
   * Runs one bulk pass for a table and moves its results: good rows into the table, failures into
   * the rejects table. Returns how many records belong to other tables (to be rerouted).
   */
  private async runPass(
    chunk: StageBuffer,
    tableName: string,
    shape: RecordShape,
    filter: PassFilter,
    candidates: number,
  ): Promise<number> {
    const table = this.table(tableName);
    const learning = this.learningFor(tableName);
    if (!learning.fastKeys) {
      const sample =
        filter.kind === 'routed'
          ? chunk.firstRouted.get(tableName)
          : filter.kind === 'unrouted'
            ? chunk.firstUnrouted
            : undefined;
      const keys = sampleKeys(sample, shape);
      if (keys) learning.fastKeys = this.fastKeysFor(table, shape, learning, keys);
    }
    // Fast path first: well-formed records of the usual shape go straight into the table.
    let fast: FastSpec | undefined;
    let fastRows = 0;
    if (learning.fastKeys) {
      const keys = learning.fastKeys;
      const extras = keys.filter((k) => learning.captured.includes(k));
      fast = { table, shape, keys, extras, source: { stage: chunk.table, filter } };
      const insert = buildFastInsertSql(fast, this.t.ingestTime);
      fastRows = (await this.run(insert.sql, insert.params)).rowsChanged;
      this.t.counters.addRows(tableName, fastRows);
      const kept = table.columns.some((c) => c.name === 'AdditionalFields') ? 'AdditionalFields' : 'dropped';
      for (const k of fast.extras) this.t.counters.extra(tableName, k, fastRows, kept);
      if (fastRows === candidates) return 0;
    }
    let meta: PassMeta;
    // The general pass re-runs only when it meets a key spelling or extra it has not seen in this file.
    for (let attempt = 0; ; attempt++) {
      const spec = {
        table,
        shape,
        knownTables: this.knownTables,
        variants: learning.variants,
        captured: learning.captured,
        filter,
        stage: chunk.table,
      };
      const { sql, params } = buildPassSql(spec, this.t.defaultTable, fast);
      await this.run(sql, params);
      meta = await this.passMeta(learning.captured.length);
      if (!(await this.learnSignatures(chunk, table, shape, learning, meta)) || attempt >= 3) break;
    }
    this.countExtras(table, learning, meta);
    // When most records missed the fast path, switch it to their most common key set.
    if (meta.accepted > fastRows) this.reconsiderFastKeys(table, shape, learning, meta);
    if (meta.accepted > 0) {
      const cols = table.columns.map((c) => ident(c.name));
      const inserted = await this.run(
        `INSERT INTO ${ident(tableName)} (${cols.join(', ')}, ${ident(INGESTION_TIME_COLUMN)}) ` +
          `SELECT ${cols.join(', ')}, CAST($now AS TIMESTAMP_NS) FROM ${PASS_TABLE} WHERE _sf_reason = ''`,
        { now: this.t.ingestTime },
      );
      this.t.counters.addRows(tableName, inserted.rowsChanged);
    }
    if (meta.rejected > 0) {
      const rejected = await this.run(
        `INSERT INTO ${REJECTS_TABLE} SELECT $run, CAST($now AS TIMESTAMP_NS), $source, s.line, s.rec, p._sf_route, p._sf_reason, ` +
          `decode(COALESCE(s.raw, s.doc)) FROM ${PASS_TABLE} p JOIN ${chunk.table} s ON s.rec = p._sf_rec WHERE p._sf_reason <> ''`,
        { run: this.t.runId, now: this.t.ingestTime, source: this.t.source },
      );
      this.t.counters.rejects += rejected.rowsChanged;
    }
    return meta.elsewhere;
  }

  /** One small aggregate over the pass: outcome counts, key sets of accepted rows, extras with values. */
  private async passMeta(extras: number): Promise<PassMeta> {
    const counts = Array.from({ length: extras }, (_, i) => `, count("x${i}")`).join('');
    const rows = await this.rows(
      `SELECT CASE WHEN _sf_reason = '' THEN 0 WHEN _sf_reason IS NULL THEN 2 ELSE 1 END AS outcome, ` +
        `CAST(_sf_keyhash AS VARCHAR), min(_sf_rec), count(*)${counts} FROM ${PASS_TABLE} GROUP BY ALL`,
    );
    const meta: PassMeta = {
      accepted: 0,
      rejected: 0,
      elsewhere: 0,
      signatures: [],
      extraValues: new Array<number>(extras).fill(0),
    };
    for (const r of rows) {
      const n = Number(r[3]);
      if (r[0] === 1) meta.rejected += n;
      else if (r[0] === 2) meta.elsewhere += n;
      else {
        meta.accepted += n;
        meta.signatures.push({ hash: String(r[1]), rec: r[2] as DuckDBValue, rows: n });
        for (let i = 0; i < extras; i++) meta.extraValues[i]! += Number(r[4 + i]);
      }
    }
    return meta;
  }

  /**
   * Explains each new key set of accepted rows once: which keys are extras, which are other
   * spellings of columns. Returns whether the pass must be re-run to read a newly seen key.
   */
  private async learnSignatures(
    chunk: StageBuffer,
    table: TableSchema,
    shape: RecordShape,
    learning: TableLearning,
    meta: PassMeta,
  ): Promise<boolean> {
    const classifier = new KeyClassifier(table, shape);
    let changed = false;
    for (const sig of meta.signatures) {
      if (learning.signatures.has(sig.hash)) continue;
      const path = shape === 'envelope' ? `'$.properties'` : `'$'`;
      const [row] = await this.rows(
        `SELECT json_keys(decode(doc), ${path}) FROM ${chunk.table} WHERE rec = $rec`,
        { rec: sig.rec },
      );
      const keys = ((row?.[0] as { items?: unknown[] } | null)?.items ?? []).map(String);
      const info: SignatureInfo = { keys, extras: [], renamed: [] };
      for (const k of keys) {
        const c = classifier.classify(k);
        if (c.kind === 'variant' && isCapturableKey(k)) {
          info.renamed.push([k, c.column]);
          const vs = learning.variants.get(c.column) ?? [];
          if (!vs.includes(k)) {
            learning.variants.set(c.column, [...vs, k]);
            changed = true;
          }
        } else if (c.kind === 'extra' || c.kind === 'variant') {
          info.extras.push(k);
          if (isCapturableKey(k) && !learning.captured.includes(k)) {
            learning.captured.push(k);
            changed = true;
          }
        }
      }
      learning.signatures.set(sig.hash, info);
    }
    return changed;
  }

  /**
   * Reports unknown keys of the accepted rows: captured ones by the rows where they had a value
   * (null and "" are padding in union exports, not data), the rest by the rows that carried them.
   */
  private countExtras(table: TableSchema, learning: TableLearning, meta: PassMeta): void {
    const kept = table.columns.some((c) => c.name === 'AdditionalFields') ? 'AdditionalFields' : 'dropped';
    learning.captured.forEach((k, i) => {
      const n = meta.extraValues[i] ?? 0;
      if (n > 0) this.t.counters.extra(table.name, k, n, kept);
    });
    for (const sig of meta.signatures) {
      const info = learning.signatures.get(sig.hash)!;
      for (const k of info.extras)
        if (!learning.captured.includes(k)) this.t.counters.extra(table.name, k, sig.rows, 'dropped');
      for (const [from, to] of info.renamed) this.t.counters.rename(table.name, from, to, sig.rows);
    }
  }

  /** The fast path's key set from a record's keys (see fastKeysOf); its extras become captured. */
  private fastKeysFor(
    table: TableSchema,
    shape: RecordShape,
    learning: TableLearning,
    keys: string[],
  ): string[] | undefined {
    const fast = fastKeysOf(table, shape, keys, this.t.defaultTable);
    for (const k of fast?.extras ?? []) if (!learning.captured.includes(k)) learning.captured.push(k);
    return fast?.keys;
  }

  /** Points the fast path at the most common key set of the records the general pass accepted. */
  private reconsiderFastKeys(
    table: TableSchema,
    shape: RecordShape,
    learning: TableLearning,
    meta: PassMeta,
  ): void {
    const top = [...meta.signatures].sort((a, b) => b.rows - a.rows)[0];
    const info = top ? learning.signatures.get(top.hash) : undefined;
    if (info) learning.fastKeys = this.fastKeysFor(table, shape, learning, info.keys) ?? learning.fastKeys;
  }

  private async rejectStagedErrors(chunk: StageBuffer): Promise<void> {
    const res = await this.run(
      `INSERT INTO ${REJECTS_TABLE} SELECT $run, CAST($now AS TIMESTAMP_NS), $source, line, rec, tbl, err, decode(raw) ` +
        `FROM ${chunk.table} WHERE err IS NOT NULL`,
      { run: this.t.runId, now: this.t.ingestTime, source: this.t.source },
    );
    this.t.counters.rejects += res.rowsChanged;
  }
}
