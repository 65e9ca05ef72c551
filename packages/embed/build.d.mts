// Types for build.mjs, which stays plain JavaScript so that `pnpm start` runs it without tsx.
export declare const outdir: string;
export declare const sources: string[];
export declare function buildEmbed(): Promise<void>;
