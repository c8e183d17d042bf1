import { normalizeTechniqueId, type AttackCatalog, type AttackTechnique } from '../attack.js';
import type { Rule } from '../model.js';
import type { AttackContext, AttackTechniqueContext } from './types.js';

/**
 * The ATT&CK facts behind a rule's `relevantTechniques` and `tactics`: names, descriptions and
 * links from the bundled ATT&CK Enterprise data. A sub-technique brings its parent along; tactics
 * written the Sentinel way (`CommandAndControl`) are resolved to ATT&CK's.
 */
export function attackContext(rule: Rule, attack: AttackCatalog): AttackContext {
  const techniques: AttackTechniqueContext[] = [];
  const unknown: AttackContext['unknown'] = [];
  const seen = new Set<string>();
  for (const written of rule.relevantTechniques) {
    const id = normalizeTechniqueId(written);
    const t = id ? attack.technique(id) : undefined;
    if (!t) {
      const retired = id ? attack.retired(id) : undefined;
      const note = retired
        ? `${retired.status} in ATT&CK${retired.revokedBy ? `; replaced by ${retired.revokedBy}` : ''}`
        : 'not an ATT&CK Enterprise technique';
      unknown.push({ id: written, note });
      continue;
    }
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    techniques.push(techniqueContext(t, attack));
  }
  const tactics = rule.tactics.map((asWritten) => {
    const t = attack.tactic(asWritten);
    return t ? { asWritten, id: t.id, name: t.name, shortname: t.shortname, url: t.url } : { asWritten };
  });
  return { version: attack.version, techniques, tactics, unknown };
}

function techniqueContext(t: AttackTechnique, attack: AttackCatalog): AttackTechniqueContext {
  const out: AttackTechniqueContext = {
    id: t.id,
    name: t.name,
    description: t.description,
    url: t.url,
    subtechnique: t.subtechnique,
    tactics: attack
      .tacticsOf(t.id)
      .map((x) => ({ id: x.id, name: x.name, shortname: x.shortname, url: x.url })),
    dataComponents: t.dataComponents,
    detection: t.detectionV17,
  };
  if (t.parent) {
    const p = attack.technique(t.parent);
    if (p) out.parent = { id: p.id, name: p.name, url: p.url };
  }
  return out;
}

/** `T1219 Remote Access Tools` or `T1219.002 Remote Access Tools: Remote Desktop Software`. */
export function techniqueTitle(t: AttackTechniqueContext): string {
  return t.parent ? `${t.id} ${t.parent.name}: ${t.name}` : `${t.id} ${t.name}`;
}
