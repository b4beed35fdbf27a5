import { AppError } from "../errors";

/** A command whose issue has not landed says so honestly instead of pretending. */
export function notImplemented(command: string): never {
  throw new AppError("not_implemented", `'${command}' is not implemented yet`);
}
