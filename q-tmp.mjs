import { parse } from 'yaml';
import { readFileSync, readdirSync } from 'node:fs';
const dir='/work/shared/rmm-sources/lolrmm/yaml';
const norm=s=>s.toLowerCase().replace(/\(.*?\)/g,'').replace(/[^a-z0-9]/g,'');
const lol=[];
for (const f of readdirSync(dir)) { const y=parse(readFileSync(dir+'/'+f,'utf8')); lol.push({f, name:y.Name, n:norm(y.Name), nf: norm(f.replace(/\.ya?ml$/,''))}); }
const jis = readdirSync('/work/shared/rmm-sources/rmm-monitoring-tools/RMM');
for (const j of jis) { const n=norm(j); const hits=lol.filter(l=>l.n===n||l.nf===n||l.n.startsWith(n)||n.startsWith(l.n)); console.log(j.padEnd(20), hits.map(h=>h.f+'='+h.name).join(' | ')); }
console.log(lol.map(l=>l.f.replace(/\.ya?ml$/,'')+'='+l.name).join('\n'));
