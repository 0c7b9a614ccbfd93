declare module "cue-wasm" {
  interface Cue {
    /** A string; undefined when its Go runtime has died. */
    toJSON(source: string): string | undefined;
  }
  export function init(): Promise<Cue>;
}
