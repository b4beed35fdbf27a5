import { AppError } from "../errors";

export class StoreError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, exitCode: 1 });
  }
}
