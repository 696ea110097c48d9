import type { AppendInput, AppendResult } from "./store";

/** The appender port: appends one message and resolves after its commit (adapter: GroupCommitter). */
export interface MessageAppender {
  append(input: AppendInput): Promise<AppendResult>;
}
