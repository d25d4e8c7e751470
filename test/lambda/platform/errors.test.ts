import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as errors from '../../../lambda/platform/errors.js';

const ERRORS_SOURCE = readFileSync(path.join(__dirname, '../../../lambda/platform/errors.ts'), 'utf8');

describe('the runtime errors', () => {
  const classNames = [...ERRORS_SOURCE.matchAll(/export class (\w+) extends AgentCoreMemoryError/g)].map(
    ([, name]) => name,
  );

  test('all extend the one base class', () => {
    expect(classNames.length).toBeGreaterThan(10);
    for (const name of classNames) {
      expect((errors as Record<string, unknown>)[name]).toBeDefined();
      expect(Object.getPrototypeOf((errors as Record<string, { prototype: object }>)[name].prototype)).toBe(
        errors.AgentCoreMemoryError.prototype,
      );
    }
  });

  // The bundles are minified, which renames classes: a name taken from the class would be a letter.
  test.each(classNames)('%s names itself with a literal, which minifying keeps', (name) => {
    const body = ERRORS_SOURCE.slice(ERRORS_SOURCE.indexOf(`export class ${name} `)).split(/\nexport class /)[0];
    expect(body).toMatch(new RegExp(`override readonly name = '${name}'|this\\.name = `));
  });

  test('keep the error they wrap as their cause', () => {
    const cause = new Error('socket hang up');
    const error = new errors.DeadlineExceededError('memory retrieve', { cause });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('DeadlineExceededError');
    expect(error).toBeInstanceOf(errors.AgentCoreMemoryError);
  });
});
