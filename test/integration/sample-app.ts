import { fileURLToPath } from "node:url";

/** The sample app the naive job builds (a Dockerfile `FROM ${BASE}`). */
export const SAMPLE_APP_DIR = fileURLToPath(new URL("./apps/my-app", import.meta.url));
