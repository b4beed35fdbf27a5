// Preloaded by bun test (bunfig.toml): a hook here runs once, after every test file.
import { afterAll } from "bun:test";
import { removeTempFolders } from "../testkit/temp";

afterAll(() => removeTempFolders());
