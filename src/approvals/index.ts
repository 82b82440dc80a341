// Public API of access requests and approvals.
export * from './types.ts';
export { ApprovalError, APPROVAL_ERRORS, type ApprovalErrorCode } from './errors.ts';
export { DEFAULT_ROUTES, FALLBACKS, RULE_APPLIES_TO, routeFor } from './routes.ts';
export {
  approvalSettings,
  catalogFor,
  catalogPatchSchema,
  createCatalogItem,
  newCatalogItemSchema,
  removeCatalogItem,
  requestableCatalog,
  settingsInputSchema,
  updateApprovalSettings,
  updateCatalogItem,
} from './catalog.ts';
export {
  allRequests,
  auditActorOf,
  cancelRequest,
  createRequests,
  getVisibleRequest,
  inbox,
  myRequests,
  newRequestSchema,
  viewOf,
  type Caller,
} from './requests.ts';
export { decideRequest, inviteApprover, type Decision, type Invitation } from './decisions.ts';
export {
  ITEM_ACTIONS,
  provisionRequest,
  ProvisioningBusyError,
  retryProvisioning,
  revokeAccess,
  revokeByCaller,
} from './provisioning.ts';
export { sweepRequests, type SweepResult } from './sweep.ts';
export { JOB_ACTOR, type AuditActor } from './events.ts';
