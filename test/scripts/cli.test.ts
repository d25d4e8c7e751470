import { CHAT_COMMAND } from '../../scripts/chat/index.js';
import type { CommandSpec } from '../../scripts/cli/command-line.js';
import { main, MAIN_HELP } from '../../scripts/cli/index.js';
import { DOCTOR_COMMAND } from '../../scripts/doctor/index.js';
import { FORGET_COMMAND } from '../../scripts/forget.js';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('agentcore-memory', () => {
  test('--help lists the commands and the exit codes', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(MAIN_HELP);
    expect(help.stdout).toMatch(/doctor .*\n.*chat .*\n.*forget /);
    expect(help.stdout).toContain('Exit codes: 0 ok; 1 the answer is no');
  });

  test('no command prints the help and exits 2; an unknown one is named', async () => {
    expect((await run([])).code).toBe(2);
    const unknown = await run(['doctr']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'doctr'; the commands are doctor, chat, forget");
  });

  test.each([DOCTOR_COMMAND, CHAT_COMMAND, FORGET_COMMAND].map((spec) => [spec.name, spec] as [string, CommandSpec]))(
    '%s --help explains every option, its default and the exit codes',
    async (name, spec) => {
      const help = await run([name, '--help']);
      expect(help.code).toBe(0);
      expect(help.stderr).toBe('');
      const text = flat(help.stdout);
      for (const [option, described] of Object.entries(spec.options)) {
        expect(help.stdout).toMatch(new RegExp(`^  --${option}${described.type === 'string' ? ' <' : '$'}`, 'm'));
        expect(text).toContain(flat(described.description));
        if (described.default !== undefined) expect(text).toContain(`(default: ${described.default})`);
      }
      expect(help.stdout).toContain('  --help');
      expect(text).toContain('Exit codes: 0 ');
    },
  );

  test.each(['doctor', 'chat', 'forget'])('%s refuses an unknown option, naming it', async (name) => {
    const result = await run([name, '--verbose']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `agentcore-memory ${name}: Unknown option '--verbose'\nRun 'agentcore-memory ${name} --help' for every option.\n`,
    );
  });

  test.each(['doctor', 'chat', 'forget'])('%s refuses a stray argument', async (name) => {
    const result = await run([name, 'prod']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unexpected argument 'prod'");
  });
});
