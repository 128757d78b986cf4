// The contract between the cloud functions, the mini-program and the console. Pure data and pure
// functions: no Node API, no wx API, so the mini-program bundle and the console page can take it.
export * from './answers';
export * from './errors';
export * from './fulfilment';
export * from './limits';
export * from './money';
export * from './status';
export * from './i18n';
export * from './time';
export * from './discrepancy';
