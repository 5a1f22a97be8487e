/**
 * The file system as the translation sees it: what a path is, and what a directory
 * holds (for expanding globs into the paths that exist now). Tests pass a fake one.
 */
import { readdirSync, statSync } from 'node:fs';

export type PathKind = 'dir' | 'file' | 'missing';

export interface FsView {
  /** What `path` is, following symlinks as the O_PATH open of the setup step will. */
  kind(path: string): PathKind;
  /** The names in a directory (empty when unreadable). */
  list(dir: string): readonly string[];
}

export const hostFs: FsView = {
  kind(path) {
    try {
      return statSync(path).isDirectory() ? 'dir' : 'file';
    } catch {
      return 'missing';
    }
  },
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};
