/**
 * The one thing the core asks of CUE: evaluate a whole program and export it as JSON text.
 * Synchronous, so that rendering stays a pure function; an adapter starts the implementation
 * (CUE compiled to WebAssembly) once per process and passes it in. A CUE error throws, with
 * CUE's own message.
 */
export interface CueEvaluator {
  toJSON(program: string): string;
}
