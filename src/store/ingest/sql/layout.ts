import { sqlString } from './literals.js';

/**
 * The shape handed to json_transform, and how to read a key back out of its result. Fields are
 * read by position (struct_extract_at): DuckDB resolves struct field *names* case-insensitively,
 * and Sentinel exports can carry `ISP` next to our `Isp`.
 */
export class Layout {
  private readonly index = new Map<string, number>();
  private readonly fields: [string, string][] = [];

  constructor(
    private readonly envelope: boolean,
    /** The SQL column holding the json_transform result. */
    private readonly parsed: string,
  ) {}

  add(key: string, type: string): void {
    if (this.index.has(key)) return;
    this.fields.push([key, type]);
    this.index.set(key, this.fields.length);
  }

  get size(): number {
    return this.fields.length;
  }

  /** The json_transform structure as a SQL string constant (key order kept as added). */
  structure(): string {
    const row = `{${this.fields.map(([k, t]) => `${JSON.stringify(k)}:${JSON.stringify(t)}`).join(',')}}`;
    return sqlString(this.envelope ? `{"category":"VARCHAR","properties":${row}}` : row);
  }

  /** SQL reading one key of the row object. */
  get(key: string): string {
    const i = this.index.get(key);
    if (i === undefined) throw new Error(`invariant: ${key} is not in the pass structure`);
    return this.envelope
      ? `struct_extract_at(struct_extract_at(${this.parsed}, 2), ${i})`
      : `struct_extract_at(${this.parsed}, ${i})`;
  }

  /** The envelope's category. */
  category(): string {
    return `struct_extract_at(${this.parsed}, 1)`;
  }
}
