/**
 * The one thing the core asks of CUE: evaluate a whole program and export it as JSON text.
 * Synchronous, so that rendering stays a pure function; an adapter starts the implementation
 * (CUE compiled to WebAssembly) once per process and passes it in. A CUE error throws, with
 * CUE's own message; an evaluator that can no longer evaluate anything throws CueStopped.
 */
export interface CueEvaluator {
  toJSON(program: string): string;
}

/**
 * The evaluator itself stopped (its WebAssembly runtime died): no fault of the definition, so
 * the result is not memoized, and the render fails closed on it rather than blaming the template.
 */
export class CueStopped extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = "CueStopped";
  }
}
