/**
 * `sb completion`: the bash script is loaded into a real bash and asked for
 * candidates the way readline does (COMP_WORDS / COMP_CWORD, then the function
 * `complete -p sb` names); fish's own `complete -C` and zsh's parser check the
 * other two where those shells are installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allProfileNames } from '@sb/sandbox';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sb-completion-'));

function script(shell: string): string {
  const file = join(dir, `sb.${shell}`);
  writeFileSync(file, execFileSync(process.execPath, [SB, 'completion', shell], { encoding: 'utf8' }));
  return file;
}

// The --backend choices as `sb run` declares them (other backends may be added).
const { registerRun } = (await import(new URL('../dist/commands/run.js', import.meta.url).href)) as {
  registerRun: (p: Command) => void;
};
const probe = new Command();
registerRun(probe);
const BACKENDS = probe.commands[0]!.options.find((o) => o.long === '--backend')!.argChoices!;

const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true']).status === 0;

describe('sb completion bash', () => {
  const file = script('bash');

  /** Candidates for the command line `words` (the last word is the one being completed). */
  function complete(words: string[]): string[] {
    const arr = words.map((w) => `'${w}'`).join(' ');
    const out = execFileSync(
      'bash',
      [
        '-c',
        `source '${file}'
fn=$(complete -p sb | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')
COMP_WORDS=(${arr}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}
"$fn" sb "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: 'utf8', cwd: '/' },
    );
    return out.split('\n').filter((l) => l !== '');
  }

  it('registers a completion function for sb', () => {
    const out = execFileSync('bash', ['-c', `source '${file}'; complete -p sb`], { encoding: 'utf8' });
    expect(out.trim()).toBe('complete -F _sb_complete sb');
  });

  it.each([
    [
      ['sb', ''],
      ['run', 'features', 'learn', 'explain', 'trace', 'syscalls', 'bpf', 'completion', 'help'],
    ],
    [['sb', 'ru'], ['run']],
    [
      ['sb', '-'],
      ['-V', '--version', '-h', '--help'],
    ],
    [['sb', 'run', '--back'], ['--backend']],
    [['sb', 'run', '--backend', ''], BACKENDS],
    [['sb', 'run', '-c', 'x.yaml', '--backend', 'au'], ['auto']],
    [['sb', 'run', '-p', ''], allProfileNames()],
    [
      ['sb', 'bpf', ''],
      ['asm', 'disasm', 'verify', 'emulate', 'compile', 'import-oci'],
    ],
    [
      ['sb', 'bpf', 'asm', '--format', ''],
      ['raw', 'hex', 'c', 'text'],
    ],
    [['sb', 'bpf', 'disasm', '--in'], ['--input']],
    [
      ['sb', 'completion', ''],
      ['bash', 'zsh', 'fish'],
    ],
    [['sb', 'help', 'fe'], ['features']],
    [['sb', 'syscalls', '--arch', 'x86_6'], ['x86_64']],
    [['sb', 'run', '-c', '/etc/hostnam'], ['/etc/hostname']],
    // A value that looks like a subcommand is no subcommand.
    [['sb', 'run', '-m', 'bpf', '--backe'], ['--backend']],
  ])('%j', (words, expected) => {
    expect(complete(words)).toEqual(expected);
  });

  it('after --, the program and then its arguments', () => {
    expect(complete(['sb', 'run', '--', 'bas'])).toContain('bash');
    expect(complete(['sb', 'run', '-p', 'default', '--', 'cat', '/etc/hostnam'])).toEqual(['/etc/hostname']);
    expect(complete(['sb', 'learn', '-O', 'p.yaml', '--', 'bas'])).toContain('bash');
  });
});

describe('sb completion zsh and fish', () => {
  it.runIf(has('fish'))("fish's own completer offers the same candidates", () => {
    const file = script('fish');
    const ask = (line: string): string[] =>
      execFileSync('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t')[0]!);
    expect(ask('sb ')).toEqual(
      expect.arrayContaining([
        'run',
        'features',
        'learn',
        'explain',
        'trace',
        'syscalls',
        'bpf',
        'completion',
      ]),
    );
    expect(ask('sb run --backend ').sort()).toEqual([...BACKENDS].sort());
    expect(ask('sb bpf ')).toEqual(
      expect.arrayContaining(['asm', 'disasm', 'verify', 'emulate', 'compile', 'import-oci']),
    );
    expect(ask('sb completion ')).toEqual(['bash', 'fish', 'zsh']);
  });

  it.runIf(has('zsh'))("zsh: _sb's candidates, with the completion builtins stubbed to print", () => {
    const file = script('zsh');
    const ask = (words: string[]): string[] => {
      const arr = words.map((w) => `'${w}'`).join(' ');
      return execFileSync(
        'zsh',
        [
          '-f',
          '-c',
          `compdef() { : }
compadd() { [[ $1 == -- ]] && shift; print -l -- "$@" }
_describe() { local -a items; items=("\${(@P)\${@[-1]}}"); print -l -- "\${items[@]%%:*}" }
_files() { print -- '<files>' }
_command_names() { print -- '<commands>' }
_message() { : }
source '${file}'
words=(${arr}); CURRENT=\${#words}; _sb`,
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter((l) => l !== '');
    };
    expect(ask(['sb', ''])).toEqual(
      expect.arrayContaining([
        'run',
        'features',
        'learn',
        'explain',
        'trace',
        'syscalls',
        'bpf',
        'completion',
      ]),
    );
    expect(ask(['sb', 'run', '--backend', ''])).toEqual([...BACKENDS]);
    expect(ask(['sb', 'run', '-p', ''])).toEqual(allProfileNames());
    expect(ask(['sb', 'bpf', 'asm', '--format', ''])).toEqual(['raw', 'hex', 'c', 'text']);
    expect(ask(['sb', 'run', '-c', ''])).toEqual(['<files>']);
    expect(ask(['sb', 'run', '--', ''])).toEqual(['<commands>']);
    expect(ask(['sb', 'run', '--', 'cat', ''])).toEqual(['<files>']);
    expect(ask(['sb', 'run', '--ba'])).toContain('--backend');
  });

  it.runIf(has('zsh'))('the zsh script parses and defines _sb', () => {
    const file = script('zsh');
    const out = execFileSync(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -U compinit && compinit -u -D && source '${file}' && whence -w _sb && echo $_comps[sb]`,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim().split('\n')).toEqual(['_sb: function', '_sb']);
  });

  it('refuses an unknown shell (exit 2)', () => {
    const r = spawnSync(process.execPath, [SB, 'completion', 'tcsh'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /value 'tcsh' is invalid for argument 'shell'\. Allowed choices are bash, zsh, fish/,
    );
  });
});
