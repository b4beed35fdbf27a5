// The redactor lives in src/secrets.ts (one notion of a secret for config errors, logs, state and probe).
export { Redactor } from "../secrets";
