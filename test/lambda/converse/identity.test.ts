import fc from 'fast-check';
import {
  DEFAULT_NAMESPACES,
  USER_ID_MAX_LENGTH,
  actorIdForUser,
  isValidActorId,
  isValidUserId,
  resolveNamespace,
  retrievalTemplateFor,
} from '../../../lambda/contract/index.js';

/** Every userId validation accepts: 1-64 printable ASCII characters, no space, a letter or digit first. */
const acceptedUserId = fc
  .tuple(
    fc.constantFrom(...'abcXYZ019'),
    fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
      maxLength: USER_ID_MAX_LENGTH - 1,
    }),
  )
  .map(([first, rest]) => first + rest);

/** The namespaces `retrieve` searches for an actor with the default strategies. */
function searchedNamespaces(userId: string): string[] {
  const actorId = actorIdForUser(userId);
  return Object.values(DEFAULT_NAMESPACES).map((template) =>
    resolveNamespace(retrievalTemplateFor(template), { actorId }),
  );
}

describe('userId to actorId', () => {
  it("maps every accepted userId to an actorId that fits AgentCore's pattern and length", () => {
    fc.assert(
      fc.property(acceptedUserId, (userId) => {
        expect(isValidUserId(userId)).toBe(true);
        expect(isValidActorId(actorIdForUser(userId))).toBe(true);
      }),
    );
  });

  it('maps two different userIds to two different actorIds, escapes included', () => {
    const tricky = [
      'a@',
      'a40',
      'a_2fb',
      'a/b',
      'a2fb',
      'a_b',
      'a_5fb',
      'alice@example.com',
      'alice_40example_2ecom',
      'A',
      'a',
      'a:b',
      'a-b',
    ];
    expect(new Set(tricky.map(actorIdForUser)).size).toBe(tricky.length);
    fc.assert(
      fc.property(acceptedUserId, acceptedUserId, (one, other) => {
        fc.pre(one !== other);
        expect(actorIdForUser(one)).not.toBe(actorIdForUser(other));
      }),
    );
  });

  it.each([
    ['bo', 'bob'],
    ['a', 'a/b'],
    ['a', 'a:b'],
  ])("never lets %s's namespaces prefix-match %s's (AgentCore matches namespaces by prefix)", (one, other) => {
    for (const mine of searchedNamespaces(one)) {
      for (const theirs of searchedNamespaces(other)) {
        expect(theirs.startsWith(mine) || mine.startsWith(theirs)).toBe(false);
      }
    }
  });

  it("keeps every pair of accepted users' namespaces apart", () => {
    fc.assert(
      fc.property(acceptedUserId, acceptedUserId, (one, other) => {
        fc.pre(one !== other);
        const theirs = searchedNamespaces(other);
        for (const mine of searchedNamespaces(one))
          expect(theirs.some((namespace) => namespace.startsWith(mine))).toBe(false);
      }),
    );
  });

  it('refuses a userId that validation would reject', () => {
    for (const userId of ['', ' a', 'alice smith', 'é', '-a', 'u'.repeat(USER_ID_MAX_LENGTH + 1)]) {
      expect(() => actorIdForUser(userId)).toThrow(/userId must be/);
    }
  });
});
