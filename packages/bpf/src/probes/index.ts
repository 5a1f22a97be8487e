export {
  type NotifSizes,
  PROBED_ACTIONS,
  type ProbedAction,
  probeSeccomp,
  type SeccompFeatures,
} from './probe.js';
