// The engine compiles without the DOM and Node typings. These two encoders exist in every
// runtime it targets (browsers, workers, Node ≥ 11), so only their shapes are declared here.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
