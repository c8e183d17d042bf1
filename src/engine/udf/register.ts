import {
  DuckDBScalarFunction,
  DuckDBVarCharType,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBScalarMainFunction,
} from '@duckdb/node-api';
import { xmlToJson } from './xml-to-json.js';

/** JSON is a VARCHAR with the alias DuckDB's json functions recognise. */
const JSON_TYPE = DuckDBVarCharType.create('JSON');

/** A VARCHAR → VARCHAR-like function applied row by row; null in, null out (DuckDB's default). */
function rowwise(f: (s: string) => string | null): DuckDBScalarMainFunction {
  return (_info, input, output) => {
    const column = input.getColumnVector(0);
    for (let r = 0; r < input.rowCount; r++) {
      const v = column.getItem(r);
      let out: string | null = null;
      if (typeof v === 'string') {
        try {
          out = f(v);
        } catch {
          out = null; // a bug in f must not fail the whole query
        }
      }
      output.setItem(r, out);
    }
    output.flush();
  };
}

/** The functions compiled DuckDB SQL may call besides DUCKDB_MACROS (see lowerings in sql/dialects/duckdb). */
const UDFS = [{ name: 'socfeed_parse_xml', returnType: JSON_TYPE, main: rowwise(xmlToJson) }];

const registered = new WeakSet<DuckDBConnection>();

/**
 * Registers socfeed's JavaScript scalar functions on a connection (idempotent per connection).
 * DuckDB then knows them on every connection of the same database instance, but only inside this
 * Node process: SQL that calls them cannot run anywhere else.
 */
export function registerUdfs(connection: DuckDBConnection): void {
  if (registered.has(connection)) return;
  for (const u of UDFS) {
    connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: u.name,
        returnType: u.returnType,
        parameterTypes: [VARCHAR],
        mainFunction: u.main,
      }),
    );
  }
  registered.add(connection);
}
