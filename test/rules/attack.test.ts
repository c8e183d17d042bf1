import { describe, expect, it } from 'vitest';
import { attackCatalog, normalizeTechniqueId } from '../../src/rules/attack.js';

describe('ATT&CK lookups', () => {
  const attack = attackCatalog();

  it('is ATT&CK Enterprise 18.1 with its 14 tactics in matrix order', () => {
    expect(attack.version).toBe('18.1');
    expect(attack.data.sourceCommit).toBe('421deacb77191b38bdd1bf63268954e93da91365');
    expect(attack.tactics.map((t) => t.id)[0]).toBe('TA0043');
    expect(attack.tactics).toHaveLength(14);
    expect(attack.tactics.map((t) => t.order)).toEqual([...Array(14).keys()].map((i) => i + 1));
  });

  it('finds techniques and sub-techniques by id', () => {
    const t = attack.technique('T1219')!;
    expect(t.name).toBe('Remote Access Tools');
    expect(t.tactics).toEqual(['command-and-control']);
    expect(t.url).toBe('https://attack.mitre.org/techniques/T1219');
    expect(t.dataComponents).toContain('DC0032 Process Creation');
    expect(t.dataSourcesV17).toContain('Process: Process Creation');
    expect(t.detectionV17).toMatch(/^Monitor for applications and processes related to remote admin tools/);
    expect(t.detectionV17).not.toContain('\n'); // one paragraph
    const sub = attack.technique('t1219/002')!;
    expect(sub).toMatchObject({
      id: 'T1219.002',
      name: 'Remote Desktop Software',
      parent: 'T1219',
      subtechnique: true,
    });
    expect(attack.subtechniques('T1219').map((s) => s.id)).toContain('T1219.002');
    expect(attack.technique('T9999')).toBeUndefined();
    expect(normalizeTechniqueId('not-a-technique')).toBeUndefined();
  });

  it('keeps retired techniques apart, with their replacement', () => {
    expect(attack.technique('T1086')).toBeUndefined();
    expect(attack.retired('T1086')).toMatchObject({ status: 'revoked', revokedBy: 'T1059.001' });
  });

  it('finds a tactic by Sentinel spelling, name, shortname or id', () => {
    for (const spelling of [
      'CommandAndControl',
      'Command and Control',
      'command-and-control',
      'TA0011',
      'ta0011',
    ]) {
      expect(attack.tactic(spelling)?.shortname, spelling).toBe('command-and-control');
    }
    expect(attack.tactic('CommandAndControl')!.id).toBe('TA0011');
    expect(attack.tactic('PrivilegeEscalation')!.name).toBe('Privilege Escalation');
    expect(attack.tactic('Teleportation')).toBeUndefined();
    expect(attack.tacticsOf('T1219.002').map((t) => t.id)).toEqual(['TA0011']);
  });
});
