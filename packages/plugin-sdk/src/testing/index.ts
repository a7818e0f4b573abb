// @paystream/plugin-sdk/testing: what a plugin's own tests use.
export { fakeMidtrans, runContractSuite, type ContractFixtures } from './contract-suite.ts';
