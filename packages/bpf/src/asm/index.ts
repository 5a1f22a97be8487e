export { type AssembleOptions, assemble } from './assemble.js';
export { AsmError } from './lexer.js';
