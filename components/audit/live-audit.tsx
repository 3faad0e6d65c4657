"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { AuditTable, type AuditRowView } from "./audit-table";

/**
 * The first page of events; in live mode it polls for new events every 5 seconds. Out of live
 * mode it shows the server's rows, so a refresh (after Verify or Sign checkpoint, which add
 * events) shows them at once.
 */
export function LiveAudit(props: {
  tenantId: string;
  query: string;
  initial: AuditRowView[];
  canPoll: boolean;
  backHref: string;
}) {
  const router = useRouter();
  const [live, setLive] = useState(false);
  const { data, isFetching, error } = useQuery({
    queryKey: ["audit", props.tenantId, props.query],
    queryFn: async () => {
      const res = await fetch(`/api/tenants/${props.tenantId}/audit/events?${props.query}`);
      if (!res.ok) throw new Error(`The audit log could not be loaded (${res.status}).`);
      return ((await res.json()) as { events: AuditRowView[] }).events;
    },
    initialData: props.initial,
    enabled: live,
    refetchInterval: live ? 5_000 : false,
  });
  return (
    <div>
      {props.canPoll ? (
        <Checkbox
          className="mb-3"
          checked={live}
          onChange={(e) => {
            setLive(e.target.checked);
            // Leaving live mode: the page's rows catch up with what was polled.
            if (!e.target.checked) router.refresh();
          }}
          label={`Live (refresh every 5 s)${live && isFetching ? " …" : ""}`}
        />
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error.message}
        </p>
      ) : null}
      <AuditTable
        tenantId={props.tenantId}
        rows={live ? data : props.initial}
        backHref={props.backHref}
      />
    </div>
  );
}
