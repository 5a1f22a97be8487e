export {
  type DisassembledInsn,
  type DisassembleOptions,
  type Disassembly,
  disassemble,
  disassembleItems,
} from './disassemble.js';
export { analyzeFlow, type Content, type FlowState } from './flow.js';
export { dataWordName, formatNumber, type InsnTextOptions, insnText, rawInsnText } from './insn-text.js';
