import fc from 'fast-check';
import {
  DEFAULT_EPISODIC_NAMESPACES,
  DEFAULT_NAMESPACES,
  DEFAULT_RETRIEVAL_CONFIG,
  actorIdForUser,
  actorNamespaceRoots,
  actorsCoveringNamespace,
  isIsolatedNamespaceLayout,
  namespaceBelongsToActor,
  namespaceLayoutErrors,
  namespaceSegments,
  recordBelongsToActor,
  resolveNamespace,
} from '../../../lambda/contract/index.js';

/**
 * Few literals, so generated layouts share segments often, and every literal is also a
 * valid actorId: an actor named like a layout's literal is exactly the attack to find.
 */
const LITERALS = ['m', 'prefs', 'facts', 'a', 'bob'] as const;
const VARIABLES = ['{sessionId}', '{memoryStrategyId}'] as const;
/** Ids to try: every literal, plus ids no template mentions. */
const CANDIDATE_IDS = [...LITERALS, 'zed', 'alice-2'];

const literal = fc.constantFrom(...LITERALS);
const template = fc
  .record({
    base: fc.array(literal, { maxLength: 3 }),
    suffix: fc.array(fc.oneof(literal, fc.constantFrom(...VARIABLES)), { maxLength: 2 }),
  })
  .map(({ base, suffix }) => `/${[...base, '{actorId}', ...suffix].join('/')}/`);
const layout = fc.uniqueArray(template, { minLength: 1, maxLength: 4 });

/** Every namespace an actor can have under the layout: its roots and its resolved templates. */
function namespacesOf(templates: readonly string[], actorId: string): string[] {
  const resolved = templates.flatMap((each) =>
    CANDIDATE_IDS.flatMap((otherId) =>
      resolveNamespace(each, { actorId, sessionId: otherId, memoryStrategyId: otherId }),
    ),
  );
  return [...actorNamespaceRoots(templates, actorId), ...resolved];
}

function isPrefixOrEqual(prefix: string, of: string): boolean {
  const a = namespaceSegments(prefix)!;
  const b = namespaceSegments(of)!;
  return a.length <= b.length && a.every((segment, index) => segment === b[index]);
}

/** Two different actors one of whose namespaces covers (or equals) one of the other's, if any. */
function counterexample(templates: readonly string[]): [string, string] | undefined {
  for (const one of CANDIDATE_IDS) {
    const roots = actorNamespaceRoots(templates, one);
    for (const other of CANDIDATE_IDS) {
      if (one === other) continue;
      if (namespacesOf(templates, other).some((theirs) => roots.some((root) => isPrefixOrEqual(root, theirs)))) {
        return [one, other];
      }
    }
  }
  return undefined;
}

describe('namespace layouts, generated', () => {
  test('every layout the check accepts keeps every pair of actors apart: no namespace of one covers or equals one of the other', () => {
    fc.assert(
      fc.property(layout, (templates) => {
        fc.pre(namespaceLayoutErrors(templates).length === 0);
        const namespaces = new Map(CANDIDATE_IDS.map((id) => [id, namespacesOf(templates, id)]));
        const crossings: string[] = [];
        for (const one of CANDIDATE_IDS) {
          const mine = namespaces.get(one)!;
          const myRoots = actorNamespaceRoots(templates, one);
          for (const other of CANDIDATE_IDS) {
            if (one === other) continue;
            for (const theirs of namespaces.get(other)!) {
              const covered = mine.find((namespace) => isPrefixOrEqual(namespace, theirs));
              if (covered !== undefined) crossings.push(`${one}'s ${covered} covers ${other}'s ${theirs}`);
              if (namespaceBelongsToActor(theirs, myRoots)) crossings.push(`${other}'s ${theirs} belongs to ${one}`);
            }
          }
          const notOwn = mine.filter((namespace) => !namespaceBelongsToActor(namespace, myRoots));
          crossings.push(...notOwn.map((namespace) => `${one}'s own ${namespace} is not under its roots`));
        }
        expect(crossings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('every layout the check refuses has a counterexample: two actors, one covering the other (with a top-level actor segment, once any other namespace sits beside it)', () => {
    fc.assert(
      fc.property(layout, (templates) => {
        fc.pre(namespaceLayoutErrors(templates).length > 0);
        const topLevel = templates.some((each) => each.startsWith('/{actorId}/'));
        const found = counterexample(topLevel ? [...templates, '/prefs/{actorId}/'] : templates);
        expect(found).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });

  test('a layout with a counterexample is refused (the check misses no unsafe layout)', () => {
    fc.assert(
      fc.property(layout, (templates) => {
        fc.pre(counterexample(templates) !== undefined);
        expect(namespaceLayoutErrors(templates)).not.toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('ids the converse function derives from userIds never cross actors under an accepted layout', () => {
    const userId = fc.stringMatching(/^[a-zA-Z0-9][\x21-\x7e]{0,20}$/);
    const templates = ['/m/{actorId}/', '/m2/{actorId}/{sessionId}/', '/facts/{actorId}/'];
    expect(namespaceLayoutErrors(templates)).toEqual([]);
    fc.assert(
      fc.property(userId, userId, fc.constantFrom(...LITERALS), (one, other, sessionId) => {
        fc.pre(one !== other);
        const roots = actorNamespaceRoots(templates, actorIdForUser(one));
        for (const each of templates) {
          const theirs = resolveNamespace(each, { actorId: actorIdForUser(other), sessionId });
          expect(namespaceBelongsToActor(theirs, roots)).toBe(false);
        }
      }),
    );
  });
});

describe('namespaceLayoutErrors', () => {
  test.each([
    ['/{actorId}/ beside /preferences/{actorId}/', ['/{actorId}/', '/preferences/{actorId}/'], 'preferences'],
    ['/m/{actorId}/ beside /m/prefs/{actorId}/', ['/m/{actorId}/', '/m/prefs/{actorId}/'], 'prefs'],
    ['a session-level template under a shorter base', ['/m/{actorId}/{sessionId}/', '/m/prefs/{actorId}/'], 'prefs'],
  ])('refuses %s, naming the actorId that would cover the others', (_case, templates, actorId) => {
    const errors = namespaceLayoutErrors(templates);
    expect(errors.join('\n')).toContain(`so the actorId '${actorId}' resolves`);
    expect(errors.join('\n')).toContain('give both the same part before');
  });

  test('refuses a top-level actor segment, saying what to put first', () => {
    expect(namespaceLayoutErrors(['/{actorId}/'])).toEqual([
      expect.stringContaining(
        "namespace '/{actorId}/' needs a literal segment before '{actorId}' (for example '/users/{actorId}/')",
      ),
    ]);
  });

  test('refuses {actorId} used twice', () => {
    expect(namespaceLayoutErrors(['/m/{actorId}/{actorId}/'])).toEqual([
      expect.stringContaining("uses '{actorId}' more than once"),
    ]);
  });

  test('accepts the default namespaces, the default retrieval config and the episodic layout, all together', () => {
    const templates = [
      ...Object.values(DEFAULT_NAMESPACES),
      ...Object.values(DEFAULT_EPISODIC_NAMESPACES),
      ...Object.keys(DEFAULT_RETRIEVAL_CONFIG),
    ];
    expect(namespaceLayoutErrors(templates)).toEqual([]);
    expect(isIsolatedNamespaceLayout(templates)).toBe(true);
  });

  test('accepts bases that differ in a segment, and equal bases with different suffixes', () => {
    expect(
      namespaceLayoutErrors(['/m/facts/{actorId}/', '/m/prefs/{actorId}/', '/m/prefs/{actorId}/{sessionId}/']),
    ).toEqual([]);
  });

  test('leaves invalid templates to namespaceTemplateErrors, and the set is then not isolated', () => {
    expect(namespaceLayoutErrors(['/facts/', '/prefs/{actorId}/'])).toEqual([]);
    expect(isIsolatedNamespaceLayout(['/facts/', '/prefs/{actorId}/'])).toBe(false);
  });
});

describe('namespaceBelongsToActor', () => {
  const roots = actorNamespaceRoots(['/preferences/{actorId}/', '/summaries/{actorId}/{sessionId}/'], 'bo');

  test.each([
    ['/preferences/bo/', true],
    ['/preferences/bo', true],
    ['/summaries/bo/session-1/', true],
    ['/preferences/bob/', false],
    ['/preferences/', false],
    ['/summaries/bo-x/s/', false],
    ['/preferences/bo/../bob/', false],
    ['/preferences//bo/', false],
    ['preferences/bo/', false],
    ['', false],
  ])('%s: %s', (namespace, expected) => {
    expect(namespaceBelongsToActor(namespace, roots)).toBe(expected);
  });

  test('no roots: nothing belongs', () => {
    expect(namespaceBelongsToActor('/preferences/bo/', [])).toBe(false);
    expect(namespaceBelongsToActor('/preferences/bo/', ['/'])).toBe(false);
  });

  test('a record belongs only when it has namespaces and every one is the actor’s', () => {
    expect(recordBelongsToActor(['/preferences/bo/'], roots)).toBe(true);
    expect(recordBelongsToActor(['/preferences/bo/', '/preferences/bob/'], roots)).toBe(false);
    expect(recordBelongsToActor([], roots)).toBe(false);
    expect(recordBelongsToActor(undefined, roots)).toBe(false);
  });
});

describe('actorsCoveringNamespace', () => {
  test('under a safe layout, a namespace has at most one actor', () => {
    const templates = ['/preferences/{actorId}/', '/summaries/{actorId}/{sessionId}/'];
    expect(actorsCoveringNamespace('/summaries/bo/s-1/', templates)).toEqual(['bo']);
    expect(actorsCoveringNamespace('/preferences/', templates)).toEqual([]);
    expect(actorsCoveringNamespace('/other/bo/', templates)).toEqual([]);
  });

  test('under an unsafe layout, it names every actor a namespace could belong to', () => {
    expect(actorsCoveringNamespace('/preferences/alice/', ['/{actorId}/', '/preferences/{actorId}/']).sort()).toEqual([
      'alice',
      'preferences',
    ]);
  });

  test('generated: under an accepted layout, every namespace of an actor is covered by that actor alone', () => {
    fc.assert(
      fc.property(layout, fc.constantFrom(...CANDIDATE_IDS), (templates, actorId) => {
        fc.pre(namespaceLayoutErrors(templates).length === 0);
        for (const namespace of namespacesOf(templates, actorId)) {
          expect(actorsCoveringNamespace(namespace, templates)).toEqual([actorId]);
        }
      }),
      { numRuns: 100 },
    );
  });
});
