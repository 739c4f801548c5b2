import { describePlanGate } from "./plan-gate";

describePlanGate("openai");
