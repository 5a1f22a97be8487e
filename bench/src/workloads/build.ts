import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type FileMap, prng, writeTree } from './tree.js';
import type { Scale, Workload } from './types.js';
import { requireTool } from './which.js';

const SIZES = {
  full: { units: 20, functions: 60 },
  quick: { units: 6, functions: 20 },
} as const;

function unit(u: number, functions: number, rnd: () => number): string {
  let c = `#include "lib.h"\n\n`;
  for (let f = 0; f < functions; f++) {
    const a = 1 + Math.floor(rnd() * 97);
    const b = 1 + Math.floor(rnd() * 89);
    const callee = f > 0 ? `u${u}_f${f - 1}(x ^ ${a}u)` : `x * ${b}u`;
    c += `static unsigned u${u}_f${f}(unsigned x) {
  unsigned acc = ${a}u;
  for (unsigned i = 0; i < (x & 15u); i++) {
    acc = acc * ${b}u + (i ^ x);
    if (acc % ${a + 2}u == 0) acc += ${callee};
  }
  return acc ^ (x >> ${(f % 7) + 1});
}

`;
  }
  c += `unsigned unit${u}(unsigned x) {\n  unsigned s = 0;\n`;
  for (let f = 0; f < functions; f++) c += `  s += u${u}_f${f}(x + ${f}u);\n`;
  return `${c}  return s;\n}\n`;
}

/** `make -j2` of a generated C project, from clean every run: fork/exec-heavy with real CPU work. */
export const build: Workload = {
  id: 'build',
  title: 'build',
  description: '`make -j2` of a generated C project (20 units of 60 functions + main, gcc -O2), from clean',
  sizes: SIZES,
  files(scale: Scale): FileMap {
    const s = SIZES[scale];
    const rnd = prng(0xb1d);
    const files: FileMap = new Map();
    const objs: string[] = [];
    let header = '#ifndef LIB_H\n#define LIB_H\n';
    let main = '#include <stdio.h>\n#include "lib.h"\n\nint main(void) {\n  unsigned s = 0;\n';
    for (let u = 0; u < s.units; u++) {
      const name = `unit${String(u).padStart(2, '0')}`;
      files.set(`src/${name}.c`, { content: unit(u, s.functions, rnd) });
      objs.push(`obj/${name}.o`);
      header += `unsigned unit${u}(unsigned x);\n`;
      main += `  s += unit${u}(${u}u);\n`;
    }
    files.set('include/lib.h', { content: `${header}#endif\n` });
    files.set('src/main.c', { content: `${main}  printf("%u\\n", s);\n  return 0;\n}\n` });
    objs.push('obj/main.o');
    files.set('Makefile', {
      content: `CC = cc
CFLAGS = -O2 -Wall -Iinclude
OBJS = ${objs.join(' ')}

prog: $(OBJS)
\t$(CC) -o $@ $(OBJS)

obj/%.o: src/%.c include/lib.h | obj
\t$(CC) $(CFLAGS) -c -o $@ $<

obj:
\tmkdir -p obj

clean:
\trm -rf obj prog

.PHONY: clean
`,
    });
    return files;
  },
  prepare(dir, scale) {
    writeTree(dir, this.files(scale));
    requireTool('cc', 'gcc');
    const make = requireTool('make', 'make');
    return {
      argv: [make, '-C', dir, '-j2', '-s'],
      cwd: dir,
      beforeEach: () => {
        rmSync(join(dir, 'obj'), { recursive: true, force: true });
        rmSync(join(dir, 'prog'), { force: true });
      },
    };
  },
};
