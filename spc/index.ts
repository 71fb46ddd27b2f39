export { cpk, type CharacteristicSample, type CpkResult } from './cpk.js';
export { cusum, type CusumOptions } from './cusum.js';
export { detect } from './detect.js';
export { DEFAULT_IN_CONTROL_POINTS, ewma, type EwmaOptions } from './ewma.js';
export { inControl, meanAndSigma, type InControlEstimate } from './inControl.js';
export type { SpcMethod, SpcPoint, SpcRule, SpcSignal } from './signal.js';
export { SpcError, type SpcErrorCode } from './SpcError.js';
export { westernElectric } from './westernElectric.js';
