/* global process, console -- Node scripts; the lint config declares no globals for scripts/ */
// Writes the RMM rule pack (data/rules/rmm-pack/) from the RMM indicator catalog
// (data/rmm/catalog.json). The rules are built by src/rules/rmm-pack.ts; this script runs its
// compiled form, so build first:
//
//   npm run build && node scripts/gen-rmm-pack.mjs
//
// The folder is wholly generated: it is emptied and rewritten, so a tool that leaves the catalog
// leaves the pack. test/rules/rmm-pack.test.ts fails when the committed files differ from what
// the generator makes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'rules', 'rmm-pack.js');
if (!existsSync(built)) {
  console.error('error: dist/src/rules/rmm-pack.js is missing; run `npm run build` first');
  process.exit(2);
}
const { buildRmmPack, packRuleYaml, unknownColumns, packReadme } = await import(pathToFileURL(built).href);
const { defenderSchema } = await import(pathToFileURL(join(root, 'dist', 'src', 'schema', 'index.js')).href);

const catalog = JSON.parse(readFileSync(join(root, 'data', 'rmm', 'catalog.json'), 'utf8'));
const pack = buildRmmPack(catalog);
const problems = pack.rules.flatMap((r) =>
  unknownColumns(r, defenderSchema()).map((c) => `${r.meta.file}: unknown column ${c}`),
);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const out = join(root, 'data', 'rules', 'rmm-pack');
rmSync(out, { recursive: true, force: true });
for (const rule of pack.rules) {
  const file = join(out, ...rule.meta.file.split('/'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, packRuleYaml(rule));
}
writeFileSync(join(out, 'README.md'), packReadme(pack, catalog));
const c = pack.coverage;
console.log(
  `wrote ${pack.rules.length} rules: ${c.toolsCovered}/${c.tools} tools covered ` +
    `(createproc ${c.bySignal.createproc}, filesig ${c.bySignal.filesig}, netconn ${c.bySignal.netconn}) + 3 all-tools rules`,
);
