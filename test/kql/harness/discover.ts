/** Finds and parses the `.kqltest` files under test/kql (paths relative to the repository). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SchemaCatalog } from '../../../src/schema/index.js';
import { REPO_ROOT } from '../../conformance/shared-data.js';
import { parseKqlTest, type KqlTestFile } from './format.js';

export const KQL_TEST_DIR = join(REPO_ROOT, 'test', 'kql');
export const FIXTURE_DIR = join(KQL_TEST_DIR, 'fixtures');

function find(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.kqltest') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export function loadKqlTests(schema: SchemaCatalog, dir = KQL_TEST_DIR): KqlTestFile[] {
  return find(dir).map((file) => {
    const path = relative(REPO_ROOT, file).split(sep).join('/');
    return parseKqlTest(path, readFileSync(file, 'utf8'), schema, (name) =>
      readFileSync(join(FIXTURE_DIR, name), 'utf8'),
    );
  });
}
