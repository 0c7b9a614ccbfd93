/** Hundreds of generated inputs each: their time is the machine's load, not what the test asserts. */
export const PROPERTY_TIMEOUT_MS = 120_000;
