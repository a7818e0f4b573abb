import { runContractSuite } from '@paystream/plugin-sdk/testing';
import { danaPlugin } from './dana.plugin.ts';

runContractSuite(danaPlugin, {
  validDetails: { returnUrl: 'https://shop.example/back', validForMinutes: 30 },
  chargeAnswer: {
    responseCode: '2005400',
    referenceNo: 'A120261124',
    partnerReferenceNo: 'contract-order-1',
    webRedirectUrl: 'https://wallet.example/pay/A120261124',
  },
});
