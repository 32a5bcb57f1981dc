// The gates live in src/protocol (the msw mock judges candidates with them too); re-exported here as phase 1 named them.
export {
  DEFAULT_GATES,
  type GateCheck,
  type GateInput,
  type GateMethod,
  type GateThresholds,
  type GateVerdict,
  gateVerdict,
} from '../../src/protocol/optimization-gates.js';
