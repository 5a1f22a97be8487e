export { MOBY_DEFAULT_CAPS } from './caps.js';
export { exportOci } from './export.js';
export { importOci, type OciImport, type OciImportOptions, ociAction } from './import.js';
export { abiOfScmp, goArchOfAbi, scmpOfAbi } from './names.js';
export { type OciProfile, ociProfileSchema, parseOciProfile } from './profile.js';
