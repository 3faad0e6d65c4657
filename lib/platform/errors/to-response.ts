import "server-only";
import { NextResponse } from "next/server";
import { logger } from "@/lib/platform/log/logger";
import { AppError, errorStatus, errorTitle, type ErrorCode } from "./app-error";

const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * An error answer: RFC 9457 problem details, with the stable `code`, its `remediation`, the
 * `request_id` and validation `fields` as extension members (ADR 0012).
 */
export interface ProblemDetails {
  /** `/api-reference#error-<code>`: where the code is described (relative to the server). */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** `urn:pqseal:request:<request id>`: this occurrence. */
  instance: string;
  code: string;
  remediation?: string;
  request_id: string;
  fields?: Record<string, string[]>;
}

/** The problem details of `code` for one request. */
function problemDetails(
  code: ErrorCode,
  detail: string,
  requestId: string,
  extra: { remediation?: string | undefined; fields?: Record<string, string[]> | undefined } = {},
): ProblemDetails {
  return {
    type: `/api-reference#error-${code}`,
    title: errorTitle(code),
    status: errorStatus(code),
    detail,
    instance: `urn:pqseal:request:${requestId}`,
    code,
    ...(extra.remediation ? { remediation: extra.remediation } : {}),
    request_id: requestId,
    ...(extra.fields ? { fields: extra.fields } : {}),
  };
}

function problemResponse(body: ProblemDetails, headers: Record<string, string> = {}) {
  return new NextResponse<ProblemDetails>(JSON.stringify(body), {
    status: body.status,
    headers: { ...headers, "content-type": PROBLEM_CONTENT_TYPE, "x-request-id": body.request_id },
  });
}

/** Turns anything thrown in a route handler into problem details; internals go to the log only. */
export function toErrorResponse(error: unknown, requestId: string): NextResponse<ProblemDetails> {
  if (error instanceof AppError) {
    const body = problemDetails(error.code, error.message, requestId, {
      remediation: error.options.remediation,
      fields: error.options.fieldErrors as Record<string, string[]> | undefined,
    });
    return problemResponse(body, error.options.headers);
  }
  // Caller input is validated with parseInput, which throws an AppError (400 invalid_input).
  // Anything else, a ZodError included (from a stored row, a config value, an upstream answer),
  // is a fault on our side, not the caller's.
  logger().error({ err: error, requestId }, "unhandled error in route handler");
  return problemResponse(
    problemDetails(
      "internal_error",
      `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      requestId,
    ),
  );
}
