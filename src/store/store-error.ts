// StoreError lives with every other error class in src/errors.ts; the stores import it from here.
export { StoreError } from "../errors";
