// The example dashboard (in progress).
export {};
