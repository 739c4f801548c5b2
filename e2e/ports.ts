/**
 * The ports the browser tests use. `E2E_PORT_OFFSET` (default 0, use multiples of 10 below 500)
 * shifts all of them, so several checkouts on one machine can run their e2e tests at once.
 */
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);

/** the production app Playwright starts (playwright.config.ts) */
export const APP_PORT = 3100 + offset;
/** a second app a test starts and stops itself (e.g. shutdown.spec.ts) */
export const SPARE_APP_PORT = 3101 + offset;
/** a third app, beside the spare one (two instances of one deployment: two-instances.spec.ts) */
export const SECOND_SPARE_APP_PORT = 3102 + offset;
/** the MiniMax wire emulator */
export const EMULATOR_PORT = 4010 + offset;
/** the OpenAI/Anthropic wire stand-ins (lib/model/standins); 500 above the emulator, so offset N never meets offset N + 10 */
export const STANDIN_PORT = 4520 + offset;

/** the signed-in guest every test starts as (e2e/global-setup.ts), one file per port set */
export const GUEST_STATE = `${process.env.TMPDIR ?? "/tmp"}/interleave-e2e-guest-${APP_PORT}.json`;
