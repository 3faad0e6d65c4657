import "server-only";
import { NextResponse } from "next/server";
import { logger } from "@/lib/platform/log/logger";
import { AppError } from "./app-error";

export interface ErrorBody {
  error: { code: string; message: string; remediation?: string; fields?: Record<string, string[]> };
}

/** Turns anything thrown in a route handler into the one error shape; internals go to the log only. */
export function toErrorResponse(error: unknown, requestId: string): NextResponse<ErrorBody> {
  if (error instanceof AppError) {
    const fields = error.options.fieldErrors as Record<string, string[]> | undefined;
    return NextResponse.json(
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.options.remediation ? { remediation: error.options.remediation } : {}),
          ...(fields ? { fields } : {}),
        },
      },
      { status: error.status, headers: { ...error.options.headers, "x-request-id": requestId } },
    );
  }
  // Caller input is validated with parseInput, which throws an AppError (400 invalid_input).
  // Anything else, a ZodError included (from a stored row, a config value, an upstream answer),
  // is a fault on our side, not the caller's.
  logger().error({ err: error, requestId }, "unhandled error in route handler");
  return NextResponse.json(
    {
      error: {
        code: "internal_error",
        message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
      },
    },
    { status: 500, headers: { "x-request-id": requestId } },
  );
}
