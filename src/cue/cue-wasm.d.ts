declare module "cue-wasm" {
  interface Cue {
    toJSON(source: string): string;
  }
  export function init(): Promise<Cue>;
}
