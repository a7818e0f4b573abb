export {
  BrokerError,
  answersMetadata,
  optionsFromEnv,
  portInUse,
  resolveJars,
  start,
  status,
  stop,
  type BrokerOptions,
  type BrokerStatus,
} from './broker.ts';
