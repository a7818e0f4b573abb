// @paystream/plugin-sdk/testing: what a plugin's own tests use.
export { answered, fakeMidtrans, runContractSuite, type ContractFixtures, type FakeAnswer } from './contract-suite.ts';
