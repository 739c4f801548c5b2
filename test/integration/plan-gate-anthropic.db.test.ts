import { describePlanGate } from "./plan-gate";

describePlanGate("anthropic");
