/**
 * `sb completion bash|zsh|fish`: a completion script generated from the
 * commander tree itself (every subcommand, option and fixed value), so it
 * cannot drift from the CLI. Values that are not fixed in commander come from
 * the toolkit: profile names (@sb/policy via @sb/sandbox), architectures and
 * syscall groups (@sb/syscalls); file and command arguments use the shell's own.
 */
import { allProfileNames } from '@sb/sandbox';
import { arches, groups } from '@sb/syscalls';
import { Argument, type Command, type Option } from 'commander';
import { UsageError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** What to offer for a value. */
export type ValueSpec =
  | { readonly kind: 'words'; readonly words: readonly string[] }
  | { readonly kind: 'file' }
  | { readonly kind: 'command' }
  | { readonly kind: 'any' };

export interface OptionSpec {
  /** -x and --xyz spellings. */
  readonly names: readonly string[];
  readonly description: string;
  /** null: a flag without a value. */
  readonly value: ValueSpec | null;
}

export interface CommandSpec {
  /** Words from `sb` to this command ([] for sb itself). */
  readonly path: readonly string[];
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly commands: readonly CommandSpec[];
  /** The first positional argument, or null when it takes none. */
  readonly positional: ValueSpec | null;
  /** The positional is `command...`: a program, then its arguments (files). */
  readonly runsCommand: boolean;
}

const FILE_ARGS = new Set(['file', 'log', 'rules', 'profile']);
const FILE_OPTIONS = new Set(['--config', '--output', '--log']);

function optionValue(o: Option, path: readonly string[]): ValueSpec | null {
  if (!o.required && !o.optional) return null;
  if (o.argChoices) return { kind: 'words', words: o.argChoices };
  const valueName = /<([^>]+)>|\[([^\]]+)\]/.exec(o.flags);
  const vn = valueName?.[1] ?? valueName?.[2] ?? '';
  if (o.long === '--profile' && path[0] !== 'bpf') return { kind: 'words', words: allProfileNames() };
  if (o.long === '--arch') return { kind: 'words', words: arches().map((a) => a.name) };
  if (o.long === '--group') return { kind: 'words', words: groups().map((g) => g.name) };
  if (vn === 'file' || (o.long !== undefined && FILE_OPTIONS.has(o.long))) return { kind: 'file' };
  return { kind: 'any' };
}

function commandSpec(cmd: Command, path: readonly string[]): CommandSpec {
  const options: OptionSpec[] = cmd.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      names: [o.short, o.long].filter((n): n is string => n !== undefined),
      description: o.description,
      value: optionValue(o, path),
    }));
  if (!options.some((o) => o.names.includes('--help')))
    options.push({ names: ['-h', '--help'], description: 'display help for command', value: null });
  const first = cmd.registeredArguments[0];
  let positional: ValueSpec | null = null;
  if (first !== undefined) {
    if (first.argChoices) positional = { kind: 'words', words: first.argChoices };
    else if (first.name() === 'command') positional = { kind: 'command' };
    else if (FILE_ARGS.has(first.name())) positional = { kind: 'file' };
    else positional = { kind: 'any' };
  }
  return {
    path,
    description: cmd.description(),
    options,
    commands: cmd.commands.map((c) => commandSpec(c, [...path, c.name()])),
    positional,
    runsCommand: first?.name() === 'command' && first.variadic,
  };
}

/**
 * The whole tree. `load(name)` returns a program in which subcommand `name` is
 * fully registered (the CLI loads subcommands lazily; see program.ts).
 */
export async function commandTree(
  root: Command,
  load: (name: string) => Promise<Command>,
): Promise<CommandSpec> {
  const commands: CommandSpec[] = [];
  for (const stub of root.commands) {
    const full = (await load(stub.name())).commands.find((c) => c.name() === stub.name()) ?? stub;
    commands.push(commandSpec(full, [stub.name()]));
  }
  const names = commands.map((c) => c.path[0]!);
  commands.push({
    path: ['help'],
    description: 'display help for command',
    options: [],
    commands: [],
    positional: { kind: 'words', words: names },
    runsCommand: false,
  });
  // sb's own options (-V/--version is one of them) and the fully loaded subcommands.
  return { ...commandSpec(root, []), commands };
}

function* walk(c: CommandSpec): Generator<CommandSpec> {
  yield c;
  for (const s of c.commands) yield* walk(s);
}

const SAFE = /^[A-Za-z0-9_.:+@%/=,-]+$/;

/** Words go into the scripts single-quoted: refuse anything that would need escaping. */
function word(w: string): string {
  if (!SAFE.test(w)) throw new Error(`completion: cannot put ${JSON.stringify(w)} into a script`);
  return w;
}

const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const key = (c: CommandSpec): string => c.path.join(' ');

function valueOptions(c: CommandSpec): string[] {
  return c.options.filter((o) => o.value !== null).flatMap((o) => o.names.map(word));
}

// ---------------------------------------------------------------- bash

function bashValues(v: ValueSpec): string {
  switch (v.kind) {
    case 'words':
      return `COMPREPLY=($(compgen -W ${sq(v.words.map(word).join(' '))} -- "$cur"))`;
    case 'file':
      return `compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))`;
    case 'command':
      return `COMPREPLY=($(compgen -c -- "$cur"))`;
    case 'any':
      return 'COMPREPLY=()';
  }
}

export function bashScript(tree: CommandSpec): string {
  const all = [...walk(tree)];
  const L: string[] = [];
  L.push('# bash completion for sb; generated by `sb completion bash`.');
  L.push(
    '# Load it with: source <(sb completion bash)   (or save it in ~/.local/share/bash-completion/completions/sb)',
  );
  L.push('_sb_is_command() {');
  L.push('  case "$1|$2" in');
  const subs = all.flatMap((c) => c.commands.map((s) => `${key(c)}|${word(s.path.at(-1)!)}`));
  L.push(`    ${subs.map(sq).join(' | ')}) return 0 ;;`);
  L.push('  esac');
  L.push('  return 1');
  L.push('}');
  L.push('_sb_takes_value() {');
  L.push('  case "$1|$2" in');
  const takes = all.flatMap((c) => valueOptions(c).map((o) => `${key(c)}|${o}`));
  L.push(`    ${takes.map(sq).join(' | ')}) return 0 ;;`);
  L.push('  esac');
  L.push('  return 1');
  L.push('}');
  L.push('_sb_values() {');
  L.push('  case "$1|$2" in');
  for (const c of all) {
    for (const o of c.options) {
      if (o.value === null) continue;
      L.push(`    ${o.names.map((n) => sq(`${key(c)}|${word(n)}`)).join(' | ')}) ${bashValues(o.value)} ;;`);
    }
  }
  L.push('  esac');
  L.push('}');
  L.push('_sb_options() {');
  L.push('  case "$1" in');
  for (const c of all) {
    L.push(`    ${sq(key(c))}) echo ${sq(c.options.flatMap((o) => o.names.map(word)).join(' '))} ;;`);
  }
  L.push('  esac');
  L.push('}');
  L.push('_sb_positional() {');
  L.push('  case "$1" in');
  for (const c of all) {
    if (c.commands.length > 0) {
      L.push(
        `    ${sq(key(c))}) COMPREPLY=($(compgen -W ${sq(c.commands.map((s) => word(s.path.at(-1)!)).join(' '))} -- "$cur")) ;;`,
      );
    } else if (c.runsCommand) {
      L.push(
        `    ${sq(key(c))}) if (($2 == 0)); then ${bashValues({ kind: 'command' })}; else ${bashValues({ kind: 'file' })}; fi ;;`,
      );
    } else if (c.positional !== null) {
      L.push(`    ${sq(key(c))}) ${bashValues(c.positional)} ;;`);
    }
  }
  L.push('  esac');
  L.push('}');
  L.push(`_sb_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local cmdpath='' w i skip=0 npos=0 dashdash=-1
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $w == -- ]]; then dashdash=$i; break; fi
    if [[ $w == -* ]]; then
      if [[ $w != *=* ]] && _sb_takes_value "$cmdpath" "$w"; then skip=1; fi
      continue
    fi
    if ((npos == 0)) && _sb_is_command "$cmdpath" "$w"; then cmdpath=\${cmdpath:+$cmdpath }$w; else npos=$((npos + 1)); fi
  done
  if ((dashdash >= 0)); then
    # After --: the program, then its arguments.
    _sb_positional "$cmdpath" $((COMP_CWORD - dashdash - 1 + npos))
    return 0
  fi
  if ((skip)); then _sb_values "$cmdpath" "$prev"; return 0; fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_sb_options "$cmdpath")" -- "$cur"))
    return 0
  fi
  _sb_positional "$cmdpath" "$npos"
  return 0
}
complete -F _sb_complete sb`);
  return `${L.join('\n')}\n`;
}

// ---------------------------------------------------------------- zsh

function zshValues(v: ValueSpec): string {
  switch (v.kind) {
    case 'words':
      return `compadd -- ${v.words.map(word).join(' ')}`;
    case 'file':
      return '_files';
    case 'command':
      return '_command_names -e';
    case 'any':
      return '_message value';
  }
}

const zdesc = (name: string, d: string): string => sq(`${name.replace(/:/g, '\\:')}:${d}`);

export function zshScript(tree: CommandSpec): string {
  const all = [...walk(tree)];
  const L: string[] = [];
  L.push('#compdef sb');
  L.push('# zsh completion for sb; generated by `sb completion zsh`.');
  L.push('# Save it as _sb in a directory of $fpath, or load it with: source <(sb completion zsh)');
  L.push('_sb_is_command() {');
  L.push('  case "$1|$2" in');
  const subs = all.flatMap((c) => c.commands.map((s) => `${key(c)}|${word(s.path.at(-1)!)}`));
  L.push(`    (${subs.map(sq).join('|')}) return 0 ;;`);
  L.push('  esac');
  L.push('  return 1');
  L.push('}');
  L.push('_sb_takes_value() {');
  L.push('  case "$1|$2" in');
  const takes = all.flatMap((c) => valueOptions(c).map((o) => `${key(c)}|${o}`));
  L.push(`    (${takes.map(sq).join('|')}) return 0 ;;`);
  L.push('  esac');
  L.push('  return 1');
  L.push('}');
  L.push('_sb_values() {');
  L.push('  case "$1|$2" in');
  for (const c of all) {
    for (const o of c.options) {
      if (o.value === null) continue;
      L.push(`    (${o.names.map((n) => sq(`${key(c)}|${word(n)}`)).join('|')}) ${zshValues(o.value)} ;;`);
    }
  }
  L.push('  esac');
  L.push('}');
  L.push('_sb_options() {');
  L.push('  local -a opts');
  L.push('  case "$1" in');
  for (const c of all) {
    const items = c.options.flatMap((o) => o.names.map((n) => zdesc(word(n), o.description)));
    L.push(`    (${sq(key(c))}) opts=(${items.join(' ')}) ;;`);
  }
  L.push('  esac');
  L.push("  _describe -t options 'option' opts");
  L.push('}');
  L.push('_sb_positional() {');
  L.push('  local -a subs');
  L.push('  case "$1" in');
  for (const c of all) {
    if (c.commands.length > 0) {
      const items = c.commands.map((s) => zdesc(word(s.path.at(-1)!), s.description));
      L.push(`    (${sq(key(c))}) subs=(${items.join(' ')}); _describe -t commands 'command' subs ;;`);
    } else if (c.runsCommand) {
      L.push(`    (${sq(key(c))}) if (($2 == 0)); then _command_names -e; else _files; fi ;;`);
    } else if (c.positional !== null) {
      L.push(`    (${sq(key(c))}) ${zshValues(c.positional)} ;;`);
    }
  }
  L.push('  esac');
  L.push('}');
  L.push(`_sb() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]}
  local cmdpath='' w i skip=0 npos=0 dashdash=-1
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $w == -- ]]; then dashdash=$i; break; fi
    if [[ $w == -* ]]; then
      if [[ $w != *=* ]] && _sb_takes_value "$cmdpath" "$w"; then skip=1; fi
      continue
    fi
    if ((npos == 0)) && _sb_is_command "$cmdpath" "$w"; then cmdpath=\${cmdpath:+$cmdpath }$w; else npos=$((npos + 1)); fi
  done
  if ((dashdash >= 0)); then
    _sb_positional "$cmdpath" $((CURRENT - dashdash - 1 + npos))
    return
  fi
  if ((skip)); then _sb_values "$cmdpath" "$prev"; return; fi
  if [[ $cur == -* ]]; then _sb_options "$cmdpath"; return; fi
  _sb_positional "$cmdpath" "$npos"
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _sb "$@"
else
  compdef _sb sb
fi`);
  return `${L.join('\n')}\n`;
}

// ---------------------------------------------------------------- fish

function fishValues(v: ValueSpec): string {
  switch (v.kind) {
    case 'words':
      return `-x -a ${sq(v.words.map(word).join(' '))}`;
    case 'file':
      return '-r -F';
    case 'command':
      return `-x -a '(__fish_complete_command)'`;
    case 'any':
      return '-x';
  }
}

export function fishScript(tree: CommandSpec): string {
  const all = [...walk(tree)];
  const L: string[] = [];
  L.push('# fish completion for sb; generated by `sb completion fish`.');
  L.push('# Save it as ~/.config/fish/completions/sb.fish, or load it with: sb completion fish | source');
  L.push('complete -c sb -e');
  L.push('function __sb_is_command');
  L.push('    switch "$argv[1]|$argv[2]"');
  const subs = all.flatMap((c) => c.commands.map((s) => `${key(c)}|${word(s.path.at(-1)!)}`));
  L.push(`        case ${subs.map(sq).join(' ')}`);
  L.push('            return 0');
  L.push('    end');
  L.push('    return 1');
  L.push('end');
  L.push('function __sb_takes_value');
  L.push('    switch "$argv[1]|$argv[2]"');
  const takes = all.flatMap((c) => valueOptions(c).map((o) => `${key(c)}|${o}`));
  L.push(`        case ${takes.map(sq).join(' ')}`);
  L.push('            return 0');
  L.push('    end');
  L.push('    return 1');
  L.push('end');
  L.push(`# The command path so far ("run", "bpf asm", ...); "PATH --" after a "--".
function __sb_path
    set -l cmdpath ''
    set -l skip 0
    set -l npos 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if test "$w" = --
            echo "$cmdpath --"
            return
        end
        if string match -q -- '-*' $w
            if not string match -q -- '*=*' $w; and __sb_takes_value "$cmdpath" $w
                set skip 1
            end
            continue
        end
        if test $npos = 0; and __sb_is_command "$cmdpath" $w
            set cmdpath (string trim -- "$cmdpath $w")
        else
            set npos (math $npos + 1)
        end
    end
    if test $npos -gt 0
        echo "$cmdpath +"
    else
        echo $cmdpath
    end
end`);
  for (const c of all) {
    const k = key(c);
    const here = `test (__sb_path) = ${sq(k)}`;
    for (const s of c.commands) {
      L.push(`complete -c sb -f -n ${sq(here)} -a ${sq(word(s.path.at(-1)!))} -d ${sq(s.description)}`);
    }
    for (const o of c.options) {
      const names = o.names.map((n) =>
        n.startsWith('--') ? `-l ${word(n.slice(2))}` : `-s ${word(n.slice(1))}`,
      );
      const anywhere = `string match -q -r -- ${sq(`^${k.replace(/ /g, ' ')}( \\+)?$`)} (__sb_path)`;
      const value = o.value === null ? '' : ` ${fishValues(o.value)}`;
      L.push(`complete -c sb -f -n ${sq(anywhere)} ${names.join(' ')}${value} -d ${sq(o.description)}`);
    }
    if (c.commands.length === 0 && c.runsCommand) {
      L.push(
        `complete -c sb -n ${sq(`test (__sb_path) = ${sq(`${k} --`)}; or test (__sb_path) = ${sq(k)}`)} -x -a '(__fish_complete_command)'`,
      );
      L.push(`complete -c sb -n ${sq(`test (__sb_path) = ${sq(`${k} +`)}`)} -F`);
    } else if (c.commands.length === 0 && c.positional !== null && c.positional.kind !== 'any') {
      L.push(`complete -c sb -n ${sq(here)} ${fishValues(c.positional)}`);
    }
  }
  return `${L.join('\n')}\n`;
}

export function completionScript(shell: Shell, tree: CommandSpec): string {
  return shell === 'bash' ? bashScript(tree) : shell === 'zsh' ? zshScript(tree) : fishScript(tree);
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  source <(sb completion bash)                       this bash session
  sb completion bash > ~/.local/share/bash-completion/completions/sb
  sb completion zsh > "\${fpath[1]}/_sb"              then restart zsh
  sb completion fish > ~/.config/fish/completions/sb.fish`,
    )
    .action(async (shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new UsageError(`completion: unknown shell '${shell}'`);
      const { buildProgram } = await import('../program.js');
      const root = await buildProgram([]);
      const tree = await commandTree(root, (name) => buildProgram([name]));
      process.stdout.write(completionScript(shell as Shell, tree));
    });
}
