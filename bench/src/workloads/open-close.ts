import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type FileMap, writeTree } from './tree.js';
import type { Scale, Workload } from './types.js';
import { requireTool } from './which.js';

const SIZES = { full: { iterations: 100_000 }, quick: { iterations: 10_000 } } as const;

// Each iteration is one openat + one close; FLAGS is the open mode.
const source = (flags: string): string => `#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE COUNT\\n", argv[0]);
    return 2;
  }
  long n = strtol(argv[2], NULL, 10);
  for (long i = 0; i < n; i++) {
    int fd = open(argv[1], ${flags});
    if (fd < 0) {
      perror(argv[1]);
      return 1;
    }
    if (close(fd) != 0) {
      perror("close");
      return 1;
    }
  }
  return 0;
}
`;

/** 100,000 open + close of one file in WORK, opened with `flags` (a C expression). */
export function openCloseWorkload(id: string, flags: string, description: string): Workload {
  return {
    id,
    title: id,
    description,
    sizes: SIZES,
    files(_scale: Scale): FileMap {
      return new Map([
        ['openclose.c', { content: source(flags) }],
        ['target.txt', { content: 'opened and closed, never read\n' }],
      ]);
    },
    prepare(dir, scale) {
      writeTree(dir, this.files(scale));
      const bin = join(dir, 'openclose');
      execFileSync(requireTool('cc', 'gcc'), ['-O2', '-o', bin, join(dir, 'openclose.c')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      return { argv: [bin, join(dir, 'target.txt'), String(SIZES[scale].iterations)], cwd: dir };
    },
  };
}
