/** systemd's SystemCallFilter= sets, from source/systemd-groups.txt (see its header). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GroupOut {
  name: string;
  description: string;
  members: string[];
}

export function parseGroups(text: string, file: string): GroupOut[] {
  const groups: GroupOut[] = [];
  let cur: GroupOut | undefined;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const head = /^(@[a-z0-9-]+)$/.exec(line);
    if (head) {
      if (groups.some((g) => g.name === head[1]))
        throw new Error(`${file}:${i + 1}: ${head[1]} defined twice`);
      cur = { name: head[1]!, description: '', members: [] };
      groups.push(cur);
      return;
    }
    const body = /^\s+(.*)$/.exec(line);
    if (!body || !cur) throw new Error(`${file}:${i + 1}: unexpected line: ${line}`);
    const item = body[1]!.trim();
    if (item.startsWith('#')) cur.description = cur.description || item.replace(/^#\s*/, '');
    else if (/^@?[a-z0-9_-]+$/.test(item)) cur.members.push(item);
    else throw new Error(`${file}:${i + 1}: bad member "${item}"`);
  });
  for (const g of groups) {
    for (const m of g.members) {
      if (m.startsWith('@') && !groups.some((x) => x.name === m))
        throw new Error(`${file}: ${g.name} names unknown ${m}`);
    }
  }
  return groups;
}

export function loadGroups(source: string): GroupOut[] {
  const file = join(source, 'systemd-groups.txt');
  return parseGroups(readFileSync(file, 'utf8'), file);
}
