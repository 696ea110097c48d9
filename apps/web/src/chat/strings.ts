/**
 * Every piece of text the web chat shows: Simplified Chinese first (as the mini program), English
 * beside it. The language is the reader's choice (the 中文 / EN switch, kept in localStorage),
 * else Chinese unless the browser asks for English first.
 */

const zh = {
  lang: "zh" as Language,
  appName: "mpchat",
  /** The switch to the other language. */
  language: "EN",
  login: {
    title: "开发登录",
    hint: "服务器开启了开发登录：输入一个用户 ID 即可以该身份登录。在另一个标签页用另一个 ID 登录，就可以互相聊天。",
    userId: "用户 ID（字母、数字、_ 或 -）",
    name: "昵称（可不填）",
    submit: "登录",
    invalidUserId: "用户 ID 只能包含字母、数字、_ 和 -，最长 64 个字符",
    failed: "登录失败",
    disabled: "服务器未开启开发登录（DEV_LOGIN），网页版无法登录",
  },
  list: {
    title: "消息",
    me: (name: string) => `我：${name}`,
    logout: "退出",
    empty: "还没有会话：在上面输入对方的用户 ID 发起单聊，或创建群聊",
    noMessages: "暂无消息",
    startDirect: "发起单聊",
    peerId: "对方的用户 ID",
    createGroup: "创建群聊",
    groupTitle: "群名称",
    groupMembers: "成员用户 ID，用逗号或空格分隔",
    create: "确定",
    createFailed: "创建会话失败",
    groupTag: "群",
    unreadOverflow: "99+",
  },
  chat: {
    pick: "选择一个会话开始聊天",
    input: "输入消息，Enter 发送，Shift+Enter 换行",
    send: "发送",
    image: "图片",
    reply: "回复",
    replyingTo: (who: string) => `回复 ${who}`,
    cancelReply: "取消回复",
    pending: "发送中",
    failed: "发送失败",
    retry: "重试",
    discard: "删除",
    uploading: "正在上传图片…",
    uploadFailed: "图片上传失败",
    loadOlder: "加载更早的消息",
    empty: "发一条消息开始聊天吧",
    members: (count: number) => `${count} 人`,
    typing: (who: string) => `${who} 正在输入…`,
    imagePreview: "[图片]",
    voicePreview: (seconds: number) => `[语音] ${seconds}″`,
    filePreview: (name: string) => `[文件] ${name}`,
    unsupported: "[暂不支持的消息类型]",
    online: "在线",
    report: "投诉",
    reportTitle: (who: string) => `投诉 ${who} 的这条消息`,
    reportReasons: ["色情低俗", "政治敏感", "欺诈骗钱", "违法犯罪", "骚扰辱骂", "其他"] as readonly string[],
    reportSubmit: "提交",
    reportCancel: "取消",
    reportSent: "已提交投诉，管理员会尽快处理",
    reportFailed: "投诉失败",
    removed: {
      removed: "你已被移出该群",
      left: "你已退出该群",
      dissolved: "该群已被解散",
    } as Readonly<Record<string, string>>,
  },
  connection: {
    connecting: "正在连接…",
    offline: "网络已断开，消息会在恢复后自动发送",
    stopped: "连接已停止，请重新登录",
    banned: "你的账号已被管理员封禁",
  },
  time: { yesterday: "昨天" },
  errors: {
    bad_request: "输入有误",
    unauthorized: "登录已过期",
    forbidden: "没有权限",
    not_found: "找不到该用户或会话",
    too_large: "内容太大",
    rate_limited: "操作太频繁，请稍后再试",
    unavailable: "服务器暂时不可用",
    network: "网络不可用",
    timeout: "请求超时",
  } as Readonly<Record<string, string>>,
  unknownError: "出错了，请稍后再试",
};

export type Strings = typeof zh;

const en: Strings = {
  lang: "en",
  appName: "mpchat",
  language: "中文",
  login: {
    title: "Developer login",
    hint: "This server has dev login on: type a user id to log in as that user. Log in with another id in a second tab, and chat with yourself.",
    userId: "User id (letters, digits, _ or -)",
    name: "Display name (optional)",
    submit: "Log in",
    invalidUserId: "A user id has 1 to 64 letters, digits, _ or -",
    failed: "Login failed",
    disabled: "Dev login (DEV_LOGIN) is off on this server: the web chat cannot log in",
  },
  list: {
    title: "Chats",
    me: (name: string) => `Me: ${name}`,
    logout: "Log out",
    empty: "No chats yet: start one with a user id above, or create a group",
    noMessages: "No messages yet",
    startDirect: "New chat",
    peerId: "Their user id",
    createGroup: "New group",
    groupTitle: "Group name",
    groupMembers: "Member ids, separated by commas or spaces",
    create: "OK",
    createFailed: "Could not create the chat",
    groupTag: "Group",
    unreadOverflow: "99+",
  },
  chat: {
    pick: "Pick a chat to start",
    input: "Message (Enter sends, Shift+Enter for a new line)",
    send: "Send",
    image: "Image",
    reply: "Reply",
    replyingTo: (who: string) => `Replying to ${who}`,
    cancelReply: "Cancel reply",
    pending: "Sending",
    failed: "Not sent",
    retry: "Retry",
    discard: "Delete",
    uploading: "Uploading the image…",
    uploadFailed: "The image could not be uploaded",
    loadOlder: "Load older messages",
    empty: "Say hello",
    members: (count: number) => `${count} members`,
    typing: (who: string) => `${who} is typing…`,
    imagePreview: "[Image]",
    voicePreview: (seconds: number) => `[Voice] ${seconds}″`,
    filePreview: (name: string) => `[File] ${name}`,
    unsupported: "[A message this page cannot show]",
    online: "online",
    report: "Report",
    reportTitle: (who: string) => `Report this message from ${who}`,
    reportReasons: ["Sexual content", "Political", "Fraud", "Illegal", "Harassment", "Other"],
    reportSubmit: "Send",
    reportCancel: "Cancel",
    reportSent: "Reported: an operator will look at it",
    reportFailed: "The report could not be sent",
    removed: {
      removed: "You were removed from this group",
      left: "You left this group",
      dissolved: "This group was dissolved",
    },
  },
  connection: {
    connecting: "Connecting…",
    offline: "Offline: messages are sent when the network is back",
    stopped: "Disconnected: log in again",
    banned: "Your account was banned by an operator",
  },
  time: { yesterday: "Yesterday" },
  errors: {
    bad_request: "Invalid input",
    unauthorized: "The login expired",
    forbidden: "Not allowed",
    not_found: "No such user or chat",
    too_large: "Too large",
    rate_limited: "Too many requests, try again shortly",
    unavailable: "The server is unavailable",
    network: "No network",
    timeout: "The request timed out",
  },
  unknownError: "Something went wrong, try again",
};

const LANGUAGE_KEY = "mpchat:language";
export type Language = "zh" | "en";

export function currentLanguage(): Language {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  if (chosen === "zh" || chosen === "en") return chosen;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "zh";
}

export function chooseLanguage(language: Language): void {
  localStorage.setItem(LANGUAGE_KEY, language);
}

export function stringsFor(language: Language): Strings {
  return language === "en" ? en : zh;
}

/** A failed call as the user should read it: the client's error code, else a general line. */
export function errorText(t: Strings, error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return t.errors[code] ?? t.unknownError;
}
