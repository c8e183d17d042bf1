/* global process, console -- Node scripts; the lint config declares no globals for scripts/ */
// Writes rule tests for the bundled RMM pack (data/rules/rmm-pack-fixtures/), one
// `<tool>/<signal>.test.yaml` per rule: positives made from the rule's own conditions and near
// misses that break one condition, each kept only when the rule agrees (src/hunt/fixtures/).
// Runs the compiled code, so build first:
//
//   npm run build && node scripts/gen-rmm-fixtures.mjs
//
// `socfeed test data/rules/rmm-pack-fixtures` runs them; test/hunt/rule-tests.test.ts too.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (...p) => pathToFileURL(join(root, 'dist', 'src', ...p)).href;
if (!existsSync(join(root, 'dist', 'src', 'hunt', 'fixtures', 'generate.js'))) {
  console.error('error: dist/src/hunt/fixtures/generate.js is missing; run `npm run build` first');
  process.exit(2);
}
const { fixturesFor, fixtureYaml, fixtureStore } = await import(dist('hunt', 'fixtures', 'generate.js'));
const { loadRules } = await import(dist('rules', 'load.js'));

// A fixed time, so regenerating gives the same files.
const NOW = new Date('2026-06-01T12:00:00Z');
const packDir = join(root, 'data', 'rules', 'rmm-pack');
const out = join(root, 'data', 'rules', 'rmm-pack-fixtures');
rmSync(out, { recursive: true, force: true });
const store = await fixtureStore();
let written = 0;
let dropped = 0;
const skipped = [];
try {
  for (const rule of loadRules(packDir).rules) {
    const f = await fixturesFor(store, rule, NOW);
    const rel = relative(packDir, rule.provenance.localPath);
    if (!f || f.positive.length === 0) {
      skipped.push(rel);
      continue;
    }
    const file = join(out, rel.replace(/\.yaml$/, '.test.yaml'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      fixtureYaml(f, relative(dirname(file), rule.provenance.localPath).split('\\').join('/'), NOW),
    );
    written++;
    dropped += f.dropped;
  }
} finally {
  store.close();
}
console.log(
  `${written} rule tests written to ${relative(process.cwd(), out)}; ${dropped} candidate events dropped by the rule check`,
);
if (skipped.length) console.log(`no fixtures for ${skipped.length} rules: ${skipped.join(', ')}`);
