import { namespaceTemplateErrors, retrievalTemplateFor } from '../../../lambda/contract/index.js';

describe('namespace templates with custom variables', () => {
  test('a declared custom variable after {actorId} is accepted, and counts 64 characters when resolved', () => {
    const customVariables = ['topic', 'team', 'channel'];
    expect(namespaceTemplateErrors('/facts/{actorId}/{topic}/', customVariables)).toEqual([]);
    // 400 + 255 + 100 + 100 + 3 x 64 + 8 slashes: over 1,024 only because each custom value may hold 64 characters.
    const long = `/${'a'.repeat(400)}/{actorId}/{sessionId}/{memoryStrategyId}/{topic}/{team}/{channel}/`;
    expect(namespaceTemplateErrors(long, customVariables)).toEqual([
      `namespace '${long}' can resolve to 1055 characters with the longest ids (actorId 255, sessionId 100, memoryStrategyId 100, a custom variable 64); AgentCore accepts at most 1024: shorten it or use fewer variables`,
    ]);
  });

  test('without the declaration it is an unknown variable', () => {
    expect(namespaceTemplateErrors('/facts/{actorId}/{topic}/')).toEqual([
      "namespace '/facts/{actorId}/{topic}/' uses unknown variable '{topic}'; use only {actorId}, {sessionId}, {memoryStrategyId}",
    ]);
  });

  test('a custom variable never stands in for the actor', () => {
    expect(namespaceTemplateErrors('/facts/{topic}/', ['topic'])).toEqual([
      "namespace '/facts/{topic}/' must have '{actorId}' before the custom variable '{topic}': its value comes with each event, so before the actor it could name another actor's namespace",
      "namespace '/facts/{topic}/' tells actors apart only by the custom variable '{topic}', whose value each caller sets: add '{actorId}' before it so each user's memories stay separate",
    ]);
    expect(namespaceTemplateErrors('/{topic}/{actorId}/', ['topic'])).toEqual([
      "namespace '/{topic}/{actorId}/' must have '{actorId}' before the custom variable '{topic}': its value comes with each event, so before the actor it could name another actor's namespace",
    ]);
  });

  test('retrieval searches from before the first varying segment, a custom variable included', () => {
    expect(retrievalTemplateFor('/facts/{actorId}/{topic}/')).toBe('/facts/{actorId}/');
    expect(retrievalTemplateFor('/facts/{actorId}/work/{topic}/')).toBe('/facts/{actorId}/work/');
    expect(retrievalTemplateFor('/summaries/{actorId}/{sessionId}/')).toBe('/summaries/{actorId}/');
  });
});
