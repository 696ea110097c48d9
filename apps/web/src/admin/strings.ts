import type { Language } from "../chat/strings";

/**
 * Every piece of text the console shows: Simplified Chinese first, English beside it
 * (the same language switch as the web chat, kept in localStorage).
 */
const zh = {
  lang: "zh" as Language,
  language: "EN",
  title: "mpchat 管理台",
  login: {
    title: "管理员登录",
    hint: "输入服务器的 ADMIN_TOKEN。令牌只保存在本标签页（sessionStorage），关闭标签页即失效。",
    token: "管理员令牌",
    submit: "登录",
    wrong: "令牌错误",
    failed: "无法连接服务器",
  },
  nav: { overview: "概览", reports: "举报", users: "用户", audit: "审计日志", logout: "退出" },
  reports: {
    empty: "没有待处理的举报",
    reporter: "举报人",
    conversation: "会话",
    user: "被举报用户",
    at: "时间",
    noMessage: "（未举报具体消息）",
    note: "处理说明（可选）",
    resolve: "标记为已处理",
  },
  overview: {
    connections: "连接数",
    messagesPerSecond: "消息/秒",
    ackP99: "确认延迟 p99（毫秒）",
    store: "数据库",
    bus: "消息总线（Redis）",
    up: "正常",
    down: "故障",
    note: "本实例的数据，每 2 秒刷新",
  },
  users: {
    lookup: "查询",
    userId: "用户 ID",
    notFound: "没有这个用户",
    name: "昵称",
    conversations: "会话",
    none: "无",
    banned: "已封禁",
    notBanned: "正常",
    reason: "原因",
    until: "截止",
    forever: "永久",
    ban: "封禁",
    unban: "解除封禁",
    duration: "时长",
    durations: { "3600000": "1 小时", "86400000": "1 天", "604800000": "7 天", "0": "永久" } as Record<string, string>,
    reasonRequired: "请填写封禁原因",
  },
  audit: {
    at: "时间",
    action: "操作",
    target: "对象",
    reason: "原因",
    actor: "来源",
    status: "结果",
    empty: "暂无记录",
  },
  error: "出错了",
};

export type AdminStrings = typeof zh;

const en: AdminStrings = {
  lang: "en",
  language: "中文",
  title: "mpchat console",
  login: {
    title: "Operator login",
    hint: "Enter the server's ADMIN_TOKEN. It is kept in this tab only (sessionStorage) and forgotten when the tab closes.",
    token: "Admin token",
    submit: "Log in",
    wrong: "Wrong token",
    failed: "Cannot reach the server",
  },
  nav: { overview: "Overview", reports: "Reports", users: "Users", audit: "Audit log", logout: "Log out" },
  reports: {
    empty: "No open reports",
    reporter: "Reporter",
    conversation: "Conversation",
    user: "Reported user",
    at: "Time",
    noMessage: "(no message reported)",
    note: "Note (optional)",
    resolve: "Resolve",
  },
  overview: {
    connections: "Connections",
    messagesPerSecond: "Messages/s",
    ackP99: "Ack latency p99 (ms)",
    store: "Database",
    bus: "Bus (Redis)",
    up: "up",
    down: "down",
    note: "This instance, refreshed every 2 s",
  },
  users: {
    lookup: "Look up",
    userId: "User id",
    notFound: "No such user",
    name: "Name",
    conversations: "Conversations",
    none: "none",
    banned: "Banned",
    notBanned: "Active",
    reason: "Reason",
    until: "Until",
    forever: "for good",
    ban: "Ban",
    unban: "Lift ban",
    duration: "Duration",
    durations: { "3600000": "1 hour", "86400000": "1 day", "604800000": "7 days", "0": "for good" },
    reasonRequired: "Give a reason for the ban",
  },
  audit: {
    at: "Time",
    action: "Action",
    target: "Target",
    reason: "Reason",
    actor: "From",
    status: "Status",
    empty: "Nothing yet",
  },
  error: "Something went wrong",
};

export function adminStrings(language: Language): AdminStrings {
  return language === "en" ? en : zh;
}
