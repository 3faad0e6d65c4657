// A forwarding worker in its own process, for the restart test: one pass, then it waits
// forever (the test kills it with SIGKILL while a delivery is in flight).
import { processDueDeliveries } from "@/lib/features/webhooks/forward";

void processDueDeliveries(10);
setInterval(() => {}, 60_000);
