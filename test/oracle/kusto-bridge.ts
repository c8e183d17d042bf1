/**
 * The one place that touches Microsoft's Kusto.Language (a Bridge.NET build of the C# parser,
 * shipped untyped as `@kusto/language-service-next`). Everything else in the test suites uses the
 * typed functions exported here and never sees a Bridge object.
 *
 * Loading: `bridge.js` (the Bridge.NET runtime) must run first; it detects CommonJS and installs
 * `Bridge` and `System` on the Node global, then `Kusto.Language.Bridge.js` registers the `Kusto`
 * namespace on the same global. We load both with Node's own `require` (not `vm`): inside a `vm`
 * context every global lookup goes through the context's interceptor and warm parsing gets ~3x
 * slower. Measured side effects of loading: globals `Bridge`, `System`, `Kusto`, and one static
 * property `Object.$$inheritors`; no built-in prototype is modified.
 */
import { createRequire } from 'node:module';

/** A diagnostic as plain data (offsets are UTF-16, as in Kusto.Language). */
export interface BridgeDiagnostic {
  code: string;
  severity: string;
  message: string;
  start: number;
  length: number;
}

export interface BridgeColumn {
  name: string;
  type: string;
  /** True when the column is the schema's own alias column passed through unchanged. */
  isAlias: boolean;
}

export interface BridgeTableInput {
  name: string;
  description: string;
  columns: { name: string; type: string; description?: string }[];
  /** Extra columns the binder accepts (e.g. TimeGenerated as an alias of Timestamp). */
  aliasColumns: { name: string; type: string }[];
}

export interface BridgeAnalysis {
  syntax: BridgeDiagnostic[];
  all: BridgeDiagnostic[];
  /** Set when the query's result is a table. */
  columns?: BridgeColumn[];
}

// ---- hand-written shapes of the few Bridge.NET members we call ---------------------------------

interface NetEnumerator {
  moveNext(): boolean;
  Current: unknown;
}
interface NetDiagnostic {
  Code: string;
  Severity: string;
  Message: string;
  Start: number;
  Length: number;
}
interface NetTypeSymbol {
  Name: string;
}
interface NetColumnSymbol {
  Name: string;
  Type: NetTypeSymbol;
}
interface NetCode {
  GetDiagnostics(): unknown;
  GetSyntaxDiagnostics(): unknown;
  ResultType: NetTypeSymbol | null;
}
/** A Kusto.Language GlobalState (opaque) and the alias column symbols it contains. */
export interface BridgeGlobals {
  readonly state: unknown;
  /** Column symbols that are schema aliases (identity is how we recognise them in results). */
  readonly aliasSymbols: ReadonlySet<unknown>;
}
interface NetGlobalState {
  WithDatabase(db: unknown): NetGlobalState;
}
interface KustoNamespace {
  Language: {
    KustoCode: {
      Parse(text: string): NetCode;
      ParseAndAnalyze(text: string, globals: NetGlobalState): NetCode;
    };
    GlobalState: { Default: NetGlobalState };
    Symbols: {
      ScalarTypes: { GetSymbol(name: string): NetTypeSymbol | null };
      ColumnSymbol: new (
        name: string,
        type: NetTypeSymbol,
        description: string | null,
        originalColumns: null,
        source: null,
        examples: null,
      ) => NetColumnSymbol;
      TableSymbol: {
        $ctor6: new (name: string, columns: NetColumnSymbol[], description: string | null) => unknown;
      };
      DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
    };
  };
}
interface BridgeNamespace {
  getEnumerator(list: unknown): NetEnumerator;
  is(value: unknown, type: unknown): boolean;
}
interface Loaded {
  kusto: KustoNamespace;
  bridge: BridgeNamespace;
  tableSymbolType: unknown;
  loadMs: number;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const started = performance.now();
  const require = createRequire(import.meta.url);
  require(require.resolve('@kusto/language-service-next/bridge.js'));
  require(require.resolve('@kusto/language-service-next/Kusto.Language.Bridge.js'));
  // The two scripts publish their namespaces on the global object; that is their only API.
  const g = globalThis as unknown as { Kusto?: KustoNamespace; Bridge?: BridgeNamespace };
  if (!g.Kusto?.Language?.KustoCode || !g.Bridge) {
    throw new Error('Kusto.Language did not register on the global object after loading bridge.js');
  }
  const symbols = g.Kusto.Language.Symbols as unknown as { TableSymbol: unknown };
  loaded = {
    kusto: g.Kusto,
    bridge: g.Bridge,
    tableSymbolType: symbols.TableSymbol,
    loadMs: performance.now() - started,
  };
  return loaded;
}

function toArray(list: unknown): unknown[] {
  const { bridge } = load();
  const out: unknown[] = [];
  if (list == null) return out;
  const en = bridge.getEnumerator(list);
  while (en.moveNext()) out.push(en.Current);
  return out;
}

function plainDiagnostics(list: unknown): BridgeDiagnostic[] {
  return toArray(list).map((raw) => {
    const d = raw as NetDiagnostic;
    return { code: d.Code, severity: d.Severity, message: d.Message, start: d.Start, length: d.Length };
  });
}

/** Milliseconds the two scripts took to load (0 until the first call). */
export function bridgeLoadMs(): number {
  return loaded?.loadMs ?? 0;
}

export function bridgeParse(text: string): BridgeDiagnostic[] {
  const { kusto } = load();
  return plainDiagnostics(kusto.Language.KustoCode.Parse(text).GetDiagnostics());
}

export function bridgeAnalyze(text: string, globals: BridgeGlobals): BridgeAnalysis {
  const { kusto, bridge, tableSymbolType } = load();
  const code = kusto.Language.KustoCode.ParseAndAnalyze(text, globals.state as NetGlobalState);
  const result: BridgeAnalysis = {
    syntax: plainDiagnostics(code.GetSyntaxDiagnostics()),
    all: plainDiagnostics(code.GetDiagnostics()),
  };
  const rt = code.ResultType;
  if (rt && bridge.is(rt, tableSymbolType)) {
    const cols = toArray((rt as unknown as { Columns: unknown }).Columns) as NetColumnSymbol[];
    result.columns = cols.map((c) => ({
      name: c.Name,
      type: c.Type.Name,
      isAlias: globals.aliasSymbols.has(c),
    }));
  }
  return result;
}

/** A GlobalState whose default database holds `tables` (Kusto resolves unqualified names there). */
export function bridgeGlobals(databaseName: string, tables: BridgeTableInput[]): BridgeGlobals {
  const { kusto } = load();
  const S = kusto.Language.Symbols;
  const typeOf = (table: string, col: string, name: string): NetTypeSymbol => {
    const t = S.ScalarTypes.GetSymbol(name);
    if (!t) throw new Error(`${table}.${col}: Kusto.Language has no scalar type '${name}'`);
    return t;
  };
  const aliasSymbols = new Set<unknown>();
  const tableSymbols = tables.map((t) => {
    const cols = t.columns.map(
      (c) =>
        new S.ColumnSymbol(c.name, typeOf(t.name, c.name, c.type), c.description ?? null, null, null, null),
    );
    for (const a of t.aliasColumns) {
      const sym = new S.ColumnSymbol(a.name, typeOf(t.name, a.name, a.type), null, null, null, null);
      aliasSymbols.add(sym);
      cols.push(sym);
    }
    return new S.TableSymbol.$ctor6(t.name, cols, t.description);
  });
  const db = new S.DatabaseSymbol.ctor(databaseName, tableSymbols);
  return { state: kusto.Language.GlobalState.Default.WithDatabase(db), aliasSymbols };
}
