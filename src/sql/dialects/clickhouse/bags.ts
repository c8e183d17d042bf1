import { caseWhen, fn, num, op, str, type SqlExpr } from '../../ast/nodes.js';
import { jsonType } from './text.js';

/**
 * Property bags changed along constant key paths (`key`, `$.a.b`, `$['a']['b']`): bag_set_key
 * and bag_remove_keys with nested paths. A bag is rebuilt from JSONExtractKeysAndValuesRaw
 * member texts; each level of the path is one nested lambda with its own parameter name.
 */

const param = (depth: number) => `__m${depth}`;
const pcol = (depth: number): SqlExpr => ({ k: 'col', name: param(depth) });
const lam = (depth: number, body: SqlExpr): SqlExpr => ({ k: 'lambda', params: [param(depth)], body });
const isObject = (j: SqlExpr) => op('=', jsonType(j), str('Object'));
const pairs = (j: SqlExpr) => fn('JSONExtractKeysAndValuesRaw', fn('ifNull', j, str('{}')));
const member = (key: SqlExpr, value: SqlExpr) => fn('concat', fn('toJSONString', key), str(':'), value);
const object = (members: SqlExpr) =>
  fn('concat', str('{'), fn('arrayStringConcat', members, str(',')), str('}'));

/**
 * A bag's JSON text from (key, raw JSON value) pairs, as JSONExtractKeysAndValuesRaw gives them;
 * with `firstWins`, a key that repeats keeps its first value (make_bag, bag_merge).
 */
export function bagFromPairs(pairs: SqlExpr, firstWins: boolean): SqlExpr {
  const P = { k: 'col' as const, name: '__p' };
  const key = fn('tupleElement', P, num(1));
  const kept = firstWins
    ? fn(
        'arrayFilter',
        {
          k: 'lambda',
          params: ['__p', '__n'],
          body: op(
            '=',
            fn(
              'indexOf',
              fn(
                'arrayMap',
                { k: 'lambda', params: ['__q'], body: fn('tupleElement', { k: 'col', name: '__q' }, num(1)) },
                pairs,
              ),
              key,
            ),
            { k: 'col', name: '__n' },
          ),
        },
        pairs,
        fn('arrayEnumerate', pairs),
      )
    : pairs;
  return object(
    fn('arrayMap', { k: 'lambda', params: ['__p'], body: member(key, fn('tupleElement', P, num(2))) }, kept),
  );
}

/**
 * `bag` with `path` set to `value` (JSON text): intermediate bags are created where missing or
 * not bags, other members are kept. A bag that is not a bag becomes a new one, as a JSON merge
 * patch does.
 */
export function setAtPath(bag: SqlExpr, path: SqlExpr[], value: SqlExpr, depth = 0): SqlExpr {
  const [key, ...rest] = path;
  const x = pcol(depth);
  const child = rest.length
    ? setAtPath(fn('JSONExtractRaw', fn('ifNull', bag, str('{}')), key!), rest, value, depth + 1)
    : value;
  const others = fn(
    'arrayMap',
    lam(depth, member(fn('tupleElement', x, num(1)), fn('tupleElement', x, num(2)))),
    fn('arrayFilter', lam(depth, op('<>', fn('tupleElement', x, num(1)), key!)), pairs(bag)),
  );
  const withKey = fn('arrayConcat', others, { k: 'list', items: [member(key!, child)] });
  return caseWhen([[isObject(bag), object(withKey)]], object({ k: 'list', items: [member(key!, child)] }));
}

/** Paths to remove as a tree: a key mapped to null is removed, to a subtree is descended into. */
export type RemovalTree = Map<string, RemovalTree | null>;

export function removalTree(paths: string[][]): RemovalTree {
  const root: RemovalTree = new Map();
  for (const p of paths) {
    let node = root;
    p.forEach((k, i) => {
      const last = i === p.length - 1;
      const cur = node.get(k);
      if (cur === null) return; // the whole member already goes
      if (last) {
        node.set(k, null);
        return;
      }
      const next = cur ?? new Map();
      node.set(k, next);
      node = next;
    });
  }
  return root;
}

/** `bag` without the members of `tree`; values that are not bags are left as they are. */
export function removeTree(bag: SqlExpr, tree: RemovalTree, depth = 0): SqlExpr {
  const x = pcol(depth);
  const name = fn('tupleElement', x, num(1));
  const value = fn('tupleElement', x, num(2));
  const drop = [...tree].filter(([, v]) => v === null).map(([k]) => str(k));
  const descend = [...tree].filter((e): e is [string, RemovalTree] => e[1] !== null);
  const newValue = descend.length
    ? caseWhen(
        descend.map(
          ([k, sub]) => [op('=', name, str(k)), removeTree(value, sub, depth + 1)] as [SqlExpr, SqlExpr],
        ),
        value,
      )
    : value;
  const kept = drop.length
    ? fn('arrayFilter', lam(depth, { k: 'in', e: name, list: drop, negated: true }), pairs(bag))
    : pairs(bag);
  return caseWhen([[isObject(bag), object(fn('arrayMap', lam(depth, member(name, newValue)), kept))]], bag);
}
