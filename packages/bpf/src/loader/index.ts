export { SECCOMP_FILTER_FLAGS, type SeccompFlag } from './constants.js';
export { LoadError, type LoadOptions, type LoadResult, loadFilter } from './load.js';
