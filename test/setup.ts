// Preloaded by bun test (bunfig.toml): hooks here are every file's (a hook in a helper module is only the first
// importing file's): afterEach after every test, afterAll once after all of them.
import { afterAll, afterEach } from "bun:test";
import { removeTempFolders } from "../testkit/temp";
import { closeOpenMocks } from "./helpers/open-mocks";

afterEach(() => closeOpenMocks());
afterAll(() => removeTempFolders());
