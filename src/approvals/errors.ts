// Every refusal an access request can meet, declared as data: its HTTP status and public code.
// The server's error handler turns `statusCode` + snake_case `code` into the one error shape.
export const APPROVAL_ERRORS = {
  not_found: 404,
  unknown_target: 400,
  invalid_input: 400,
  no_atlassian_account: 400,
  duration_too_long: 400,
  not_requestable: 403,
  already_has_access: 409,
  duplicate_request: 409,
  self_approval: 403,
  not_an_approver: 403,
  forbidden: 403,
  already_decided: 409,
  invalid_state: 409,
  not_invitable: 400,
  email_taken: 409,
} as const;

export type ApprovalErrorCode = keyof typeof APPROVAL_ERRORS;

export class ApprovalError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = APPROVAL_ERRORS[code];
  }
}

export const notFound = (what: string): ApprovalError => new ApprovalError('not_found', `${what} not found`);
