// The starter lives in the shared fixture package (also used by the framework integrations' mongo backend).
export { STAND_IN_PACKAGE, startStandIn } from '@fluxibly/mongo-stand-in';
export type { StandIn } from '@fluxibly/mongo-stand-in';
