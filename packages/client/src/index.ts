export type {
  AuthResponse,
  Body,
  Conversation,
  Invite,
  InviteDetails,
  Media,
  MediaKind,
  Message,
  ReceivedBody,
  UnknownBody,
  UpdateProfileRequest,
  User,
} from "@mpchat/protocol";
export { type FetchLike, fetchHttp } from "./adapters/fetch-http";
export { type FetchUploadLike, type FormDataLike, fetchUpload } from "./adapters/fetch-upload";
export { localStorageAdapter, memoryStorage, type WebStorageLike, wxStorage } from "./adapters/storages";
export { type WebSocketConstructor, type WebSocketLike, webSocketTransport } from "./adapters/web-socket-transport";
export { wxRequestHttp } from "./adapters/wx-request-http";
export { wxSocketTransport } from "./adapters/wx-socket-transport";
export type { WxRequestApi, WxSocketApi, WxSocketTask, WxStorageApi } from "./adapters/wx-types";
export { wxUploadFile } from "./adapters/wx-upload";
export { type BackoffOptions, DEFAULT_BACKOFF, retryDelayMs } from "./backoff";
export { ChatClient, type SendHandle } from "./chat-client";
export { ChatError, type ChatErrorCode, isPermanentSendError, SendFailedError } from "./errors";
export type {
  ChatEventHandler,
  ChatEventName,
  ChatEvents,
  ConnectionState,
  OfflineReason,
  RecoveredEvent,
  StateEvent,
} from "./events";
export { MediaUploader, type MediaUploaderOptions, type UploadMediaInput } from "./media-uploader";
export type { ChatClientOptions } from "./options";
export type { OutboxEntry } from "./outbox-entry";
export type { HttpClient, HttpRequest, HttpResponse } from "./ports/http";
export type { KeyValueStorage } from "./ports/storage";
export { systemTimers, type Timers } from "./ports/timers";
export type { SocketCloseInfo, SocketHandlers, Transport, TransportConnection } from "./ports/transport";
export type { UploadClient, UploadFile, UploadProgress, UploadRequest } from "./ports/upload";
export { type HistoryQuery, RestApi, type RestApiOptions } from "./rest-api";
export type { TextExtras } from "./send-tracker";
export { UserDirectory } from "./user-directory";
